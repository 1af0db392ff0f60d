/**
 * Where a FIFO goes when its task runs as another user. The private run folder
 * (0700, ours) is out of that user's reach, so the FIFO gets a folder of its
 * own, owned by the task's user (0700), inside a shared folder that others may
 * traverse but not list (0711). Every folder above must let the user through;
 * when one does not, the failure names it instead of a ready timeout.
 */
import { chmod, chown, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { dirname, join, parse } from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import { errorMessage } from '../util/error-message.js';
import type { PrepareOptions } from './types.js';

export type FifoOwner = NonNullable<PrepareOptions['owner']>;

/** Makes `<owner.dir>/<task>-XXXXXX` (0700, owned by the task's user); returns its path. */
export async function ownedFolder(owner: FifoOwner, task: string): Promise<Result<string, string>> {
  try {
    await mkdir(owner.dir, { recursive: true });
    await chmod(owner.dir, 0o711);
  } catch (error) {
    return err(`cannot create ${owner.dir}: ${errorMessage(error)}`);
  }
  const blocked = await firstBlocked(owner.dir, owner.uid, owner.gid);
  if (blocked !== undefined) {
    const mode = blocked.mode.toString(8).padStart(4, '0');
    return err(
      `user ${owner.uid} cannot reach ${blocked.dir} (mode ${mode}), so the task cannot open its ready pipe; ` +
        `let it through with \`chmod o+x ${blocked.dir}\``,
    );
  }
  let folder: string;
  try {
    folder = await mkdtemp(join(owner.dir, `${task.replace(/[^\w.-]/g, '_')}-`));
  } catch (error) {
    return err(`cannot create a folder in ${owner.dir}: ${errorMessage(error)}`);
  }
  try {
    await chown(folder, owner.uid, owner.gid ?? -1);
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    return err(`cannot give ${folder} to user ${owner.uid}: ${errorMessage(error)}`);
  }
  return ok(folder);
}

/**
 * The outermost folder on the way to `dir` (itself included) that `uid`/`gid` may
 * not search. Only the primary group is relied on: supplementary groups are set only for a user given by name, where setpriv exists.
 */
async function firstBlocked(dir: string, uid: number, gid: number | undefined): Promise<{ dir: string; mode: number } | undefined> {
  if (uid === 0) return undefined;
  const chain: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    chain.unshift(at);
    if (at === parse(at).root) break;
  }
  for (const folder of chain) {
    const info = await stat(folder).catch(() => undefined);
    if (info === undefined) continue;
    const bit = info.uid === uid ? 0o100 : gid !== undefined && info.gid === gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) return { dir: folder, mode: info.mode & 0o7777 };
  }
  return undefined;
}
