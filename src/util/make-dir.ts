import { lstat, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

const codeOf = (error: unknown): unknown => (error instanceof Error && 'code' in error ? error.code : undefined);

/**
 * `mkdir -p` whose error names the real cause. Node's recursive mkdir fails with ENOENT
 * ("no such file or directory") under a read-only filesystem (EROFS) however much of the
 * path exists: then the missing folders are made one by one, and the first to fail says why.
 */
export async function makeDir(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    if (codeOf(error) !== 'ENOENT') throw error;
    const missing: string[] = [];
    for (let dir = resolve(path); !(await exists(dir)); dir = dirname(dir)) {
      missing.unshift(dir);
      if (dirname(dir) === dir) break;
    }
    for (const dir of missing) await mkdir(dir);
  }
}

function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
