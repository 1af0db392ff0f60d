/**
 * Where the config is: found from a folder upwards, or named with `-c` (a file, or a
 * folder holding one). Node builtins only: the CLI's entry uses it before the rest loads.
 */
import { statSync, type Stats } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import type { LoadFailure } from '../core/diagnostics.js';
import { err, ok, type Result } from '../core/result.js';

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

/** A TypeScript config: compiled (compile-cache.ts) before it is imported. */
export const isTypeScript = (file: string): boolean => /\.(c|m)?tsx?$/.test(file);

/** Also loaded when named with `-c`, though not advertised: CommonJS flavours of the code configs. */
const SUPPORTED = new Set([...CONFIG_NAMES.map((name) => extname(name)), '.cts', '.cjs']);

/** The config file to load: `given` (relative to `cwd`) when there is one, else the one found from `cwd` upwards. */
export function locateConfig(cwd: string, given: string | undefined): Result<string, LoadFailure> {
  if (given === undefined) {
    const found = findConfigFile(cwd);
    return found === undefined ? err({ reason: 'not-found', searchedFrom: resolve(cwd), names: CONFIG_NAMES }) : ok(found);
  }
  const file = resolve(cwd, given);
  const stats = stat(file);
  if (stats === undefined) return err({ reason: 'missing-file', file });
  if (stats.isDirectory()) {
    const inside = configIn(file);
    return inside === undefined ? err({ reason: 'folder-without-config', file, names: CONFIG_NAMES }) : ok(inside);
  }
  const extension = extname(file);
  return SUPPORTED.has(extension) ? ok(file) : err({ reason: 'unsupported-format', file, extension, names: CONFIG_NAMES });
}

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
