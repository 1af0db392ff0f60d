/** Finding, importing and validating the user's config file. */
import { statSync, type Stats } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { LoadFailure } from '../core/diagnostics.js';
import type { StackSpec } from '../core/model.js';
import { err, ok, type Result } from '../core/result.js';
import { isObject } from '../util/is-object.js';
import { isDataConfig, loadDataConfig } from './data-file.js';
import { importConfig, settledWithin, type ImportOptions, type ModuleNamespace } from './import-config.js';

export const CONFIG_NAMES = [
  'ignite.config.ts',
  'ignite.config.mts',
  'ignite.config.js',
  'ignite.config.mjs',
  'ignite.config.json',
  'ignite.config.yaml',
  'ignite.config.yml',
  'ignite.config.toml',
] as const;

/** Also loaded when named with `-c`, though not advertised: CommonJS flavours of the code configs. */
const SUPPORTED = new Set([...CONFIG_NAMES.map((name) => extname(name)), '.cts', '.cjs']);

/** The config in `cwd` or the nearest parent folder that has one. */
export function findConfigFile(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const file = configIn(dir);
    if (file !== undefined) return file;
    if (dirname(dir) === dir) return undefined;
  }
}

function configIn(dir: string): string | undefined {
  return CONFIG_NAMES.map((name) => join(dir, name)).find((file) => stat(file)?.isFile() === true);
}

function stat(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

export interface LoadOptions {
  /** An explicit config path (`-c`), relative to `cwd`: a file, or a folder holding one of CONFIG_NAMES. */
  file?: string;
  cwd: string;
  /** False: load a TypeScript config with tsx, bypassing the esbuild compile cache. Default true. */
  compileCache?: boolean;
  /** Loading again in the same process (a reload): see ImportOptions.fresh. */
  fresh?: boolean;
  /** How long the config module (and the promise its default export returns) may take (default 30 s: see LOAD_TIMEOUT_MS in import-config.ts). */
  timeoutMs?: number;
}

export async function loadConfig(options: LoadOptions): Promise<Result<StackSpec, LoadFailure>> {
  const file = configFile(options);
  if (!file.ok) return file;
  // zod and the schemas (~20 ms to build) load while esbuild compiles the config, Node reads its
  // files or a data file is parsed: at the next turn, once esbuild's service has been started
  const validation = nextTurn().then(() => import('./validate.js'));
  if (isDataConfig(file.value)) return loadDataConfig(file.value, validation);
  const input = await moduleConfig(file.value, {
    ...(options.compileCache === undefined ? {} : { compileCache: options.compileCache }),
    ...(options.fresh === true ? { fresh: true } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  if (!input.ok) return input;
  const { validateConfig } = await validation;
  let validated: ReturnType<typeof validateConfig>;
  try {
    validated = validateConfig(input.value, file.value);
  } catch (error) {
    // a getter in the config (`get command() { return process.env.CMD.split(' ') }`) runs while it is read
    return err(thrown(error, file.value));
  }
  if (validated.ok) return validated;
  return err({ reason: 'invalid', file: file.value, diagnostics: validated.error, ...plainStateDir(input.value, file.value) });
}

/** The config's own `stateDir` when it is a plain string, resolved as validation would. */
function plainStateDir(input: unknown, file: string): { stateDir?: string } {
  const stateDir = isObject(input) ? input.stateDir : undefined;
  return typeof stateDir === 'string' && stateDir !== '' ? { stateDir: resolve(dirname(file), stateDir) } : {};
}

function thrown(error: unknown, file: string): LoadFailure {
  const e = error instanceof Error ? error : new Error(String(error));
  return e.stack === undefined ? { reason: 'threw', file, message: e.message } : { reason: 'threw', file, message: e.message, stack: e.stack };
}

/** The file to load: found from cwd, or given (a folder stands for the config inside it), with a known extension. */
function configFile(options: LoadOptions): Result<string, LoadFailure> {
  if (options.file === undefined) {
    const found = findConfigFile(options.cwd);
    return found === undefined ? err({ reason: 'not-found', searchedFrom: resolve(options.cwd), names: CONFIG_NAMES }) : ok(found);
  }
  const file = resolve(options.cwd, options.file);
  const stats = stat(file);
  if (stats === undefined) return err({ reason: 'missing-file', file });
  if (stats.isDirectory()) {
    const inside = configIn(file);
    return inside === undefined ? err({ reason: 'folder-without-config', file, names: CONFIG_NAMES }) : ok(inside);
  }
  const extension = extname(file);
  if (!SUPPORTED.has(extension)) return err({ reason: 'unsupported-format', file, extension, names: CONFIG_NAMES });
  return ok(file);
}

/** A code config's value: its default export, called when it is a function. */
async function moduleConfig(file: string, options: ImportOptions): Promise<Result<unknown, LoadFailure>> {
  const mod = await importConfig(file, options);
  if (!mod.ok) return mod;
  const exported = exportedConfig(mod.value);
  if ('exported' in exported) return err({ reason: 'no-export', file, ...exported });
  if (typeof exported.value !== 'function') return ok(exported.value);
  try {
    return await settledWithin(Promise.resolve((exported.value as () => unknown)()), file, 'default-export', options.timeoutMs);
  } catch (error) {
    return err(thrown(error, file));
  }
}

/**
 * The default export, unwrapping CommonJS interop (`mod.default.default`, or a
 * transpiled module flagged `__esModule`). Otherwise: what the module does export.
 */
export function exportedConfig(mod: ModuleNamespace): { value: unknown } | { exported: string[] } {
  let scope: Record<string, unknown> = mod;
  let value = mod.default;
  if (isObject(value) && !('tasks' in value) && (value.__esModule === true || 'default' in value)) {
    scope = value;
    value = value.default;
  }
  if (value === undefined) return { exported: Object.keys(scope).filter((key) => key !== 'default' && key !== '__esModule') };
  return { value };
}
