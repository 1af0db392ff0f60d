import { randomBytes } from 'node:crypto';
import { lstat, mkdir, chmod, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import { errorMessage } from '../util/error-message.js';
import { makeDir } from '../util/make-dir.js';

const errorCode = (error: unknown): string =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'EUNKNOWN';

export const codeOf = errorCode;


/**
 * Creates `dir` (and parents) and makes sure it is a real directory owned by us
 * with mode 0700, so nobody else can reach what we put in it.
 */
export async function ensurePrivateDir(dir: string): Promise<Result<void, string>> {
  try {
    await makeDir(dirname(dir));
    await mkdir(dir, { mode: 0o700 }).catch((error: unknown) => {
      if (errorCode(error) !== 'EEXIST') throw error;
    });
    const info = await lstat(dir);
    if (!info.isDirectory()) return err(`${dir} exists and is not a directory`);
    const uid = process.getuid?.();
    if (uid !== undefined && info.uid !== uid) {
      return err(`${dir} belongs to another user (uid ${info.uid}): run ignite as that user, or give the folder to this one`);
    }
    if ((info.mode & 0o777) !== 0o700) await chmod(dir, 0o700);
    return ok(undefined);
  } catch (error) {
    return err(`cannot create ${dir}: ${errorMessage(error)}`);
  }
}

/**
 * Writes `content` to a fresh temporary file with mode 0600 and renames it over `file`.
 * On any failure (a full disk fails the write, not the open) the temporary file is removed.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
}

export async function removeQuietly(file: string): Promise<void> {
  await unlink(file).catch(() => undefined);
}
