/** Finding, importing and validating the user's config file. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { LoadFailure } from '../core/diagnostics.js';
import type { StackSpec } from '../core/model.js';
import { err, type Result } from '../core/result.js';
import { isObject } from '../util/is-object.js';
import { importConfig, type ModuleNamespace } from './import-config.js';

export const CONFIG_NAMES = ['ignite.config.ts', 'ignite.config.mts', 'ignite.config.js', 'ignite.config.mjs'] as const;

/** The config in `cwd` or the nearest parent folder that has one. */
export function findConfigFile(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of CONFIG_NAMES) {
      const file = join(dir, name);
      if (isFile(file)) return file;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export interface LoadOptions {
  /** An explicit config path (`-c`), relative to `cwd`. */
  file?: string;
  cwd: string;
  /** False: load a TypeScript config with tsx, bypassing the esbuild compile cache. Default true. */
  compileCache?: boolean;
}

export async function loadConfig(options: LoadOptions): Promise<Result<StackSpec, LoadFailure>> {
  const file = options.file === undefined ? findConfigFile(options.cwd) : resolve(options.cwd, options.file);
  if (file === undefined) return err({ reason: 'not-found', searchedFrom: resolve(options.cwd) });
  if (!existsSync(file)) return err({ reason: 'missing-file', file });
  const imported = importConfig(file, options.compileCache === undefined ? {} : { compileCache: options.compileCache });
  // zod and the schemas (~20 ms to build) load while esbuild compiles the config or Node reads its
  // files: at the next turn, once esbuild's service has been started
  const validation = nextTurn().then(() => import('./validate.js'));
  const mod = await imported;
  if (!mod.ok) return mod;
  const exported = exportedConfig(mod.value);
  if ('exported' in exported) return err({ reason: 'no-export', file, ...exported });
  let input = exported.value;
  if (typeof input === 'function') {
    try {
      input = await (input as () => unknown)();
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      return err(e.stack === undefined ? { reason: 'threw', file, message: e.message } : { reason: 'threw', file, message: e.message, stack: e.stack });
    }
  }
  const { validateConfig } = await validation;
  const validated = validateConfig(input, file);
  return validated.ok ? validated : err({ reason: 'invalid', file, diagnostics: validated.error });
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
