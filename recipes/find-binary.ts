import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The full path of `name` on PATH or in one of `extraDirs`, or `name` itself when
 * it is nowhere, so that ignite names the missing binary when the task starts.
 * Debian keeps daemons in /usr/sbin, which is not on every user's PATH.
 */
export function findBinary(name: string, extraDirs: readonly string[] = ['/usr/sbin', '/sbin']): string {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), ...extraDirs].filter((dir) => dir !== '');
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return name;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Debian installs the PostgreSQL server binaries in /usr/lib/postgresql/<version>/bin
 * (only client wrappers are on PATH). Returns the newest such folder, or undefined.
 */
export function findPostgresBinDir(root = '/usr/lib/postgresql'): string | undefined {
  let versions: string[];
  try {
    versions = readdirSync(root);
  } catch {
    return undefined;
  }
  const withInitdb = versions
    .filter((version) => isExecutable(join(root, version, 'bin', 'initdb')))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  const newest = withInitdb[0];
  return newest === undefined ? undefined : join(root, newest, 'bin');
}
