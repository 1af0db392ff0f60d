/**
 * Checks done before a spawn, so that a mistake gives a clear failure naming the
 * task and the binary (or folder) instead of a bare ENOENT from the kernel.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Failure } from '../../core/failure.js';
import { err, ok, type Result } from '../../core/result.js';
import { groupLookup, primaryGroupLookup, userLookup, type AccountLookup } from '../../util/accounts.js';

type SpawnFailure = Extract<Failure, { reason: 'spawn-error' }>;

const spawnError = (task: string, code: string, binary: string, message: string): SpawnFailure => ({
  reason: 'spawn-error',
  task,
  code,
  binary,
  message,
});

export function checkCwd(task: string, cwd: string, binary: string): Result<void, Failure> {
  try {
    if (statSync(cwd).isDirectory()) return ok(undefined);
    return err({ ...spawnError(task, 'ENOTDIR', binary, `task "${task}": working directory ${cwd} is not a directory`), cwd });
  } catch {
    return err({ ...spawnError(task, 'ENOENT', binary, `task "${task}": working directory ${cwd} does not exist`), cwd });
  }
}

/**
 * Finds `file` the way execvp would, against the child's PATH (relative PATH
 * entries and relative paths resolve against the child's cwd).
 */
export function resolveBinary(task: string, file: string, path: string | undefined, cwd: string): Result<string, Failure> {
  if (file.includes('/')) {
    const full = isAbsolute(file) ? file : resolve(cwd, file);
    const state = executable(full);
    if (state === 'ok') return ok(full);
    if (state === 'folder') return err(spawnError(task, 'EISDIR', file, `task "${task}": command "${file}" is a folder (${full})`));
    return err(
      state === 'missing'
        ? spawnError(task, 'ENOENT', file, `task "${task}": command "${file}" does not exist (${full})`)
        : spawnError(task, 'EACCES', file, `task "${task}": command "${file}" is not executable (${full})`),
    );
  }
  let denied: string | undefined;
  for (const dir of (path ?? '').split(delimiter)) {
    const full = resolve(cwd, dir === '' ? '.' : dir, file);
    const state = executable(full);
    if (state === 'ok') return ok(full);
    if (state === 'denied') denied ??= full;
    // a folder of that name in PATH is no program: execvp goes on looking too
  }
  if (denied !== undefined) {
    return err(spawnError(task, 'EACCES', file, `task "${task}": command "${file}" is not executable (${denied})`));
  }
  const notFound = spawnError(task, 'ENOENT', file, `task "${task}": command "${file}" not found in PATH`);
  const localBin = findLocalBin(file, cwd);
  return err(localBin === undefined ? notFound : { ...notFound, localBin });
}

/**
 * The `node_modules/.bin/<file>` nearest above `cwd`, as npm scripts and npx would find it
 * (ignite, like compose and process-compose, runs a command from PATH only).
 */
function findLocalBin(file: string, cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '.bin', file);
    if (executable(candidate) === 'ok') return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function executable(full: string): 'ok' | 'missing' | 'denied' | 'folder' {
  try {
    // no exception for the usual miss: PATH entries that lack the file are the common case
    const stats = statSync(full, { throwIfNoEntry: false });
    if (stats?.isDirectory() === true) return 'folder';
    if (stats?.isFile() !== true) return 'missing';
  } catch {
    return 'missing';
  }
  try {
    accessSync(full, constants.X_OK);
    return 'ok';
  } catch {
    return 'denied';
  }
}

export interface Credentials {
  uid: number | undefined;
  gid: number | undefined;
}

/** Resolves `user`/`group` names to ids (with `id` and `getent`, argv only). Needs root to switch. */
export async function resolveCredentials(
  task: string,
  user: string | number | undefined,
  group: string | number | undefined,
): Promise<Result<Credentials, Failure>> {
  if (user === undefined && group === undefined) return ok({ uid: undefined, gid: undefined });
  const uid = user === undefined ? undefined : await lookup(userLookup(user));
  if (uid === null) return err(notSupported(task, 'user', `unknown user "${String(user)}"`));
  let gid: number | null | undefined;
  if (group !== undefined) gid = await lookup(groupLookup(group));
  else if (user !== undefined) gid = await lookup(primaryGroupLookup(user));
  if (gid === null) return err(notSupported(task, 'group', `unknown group "${String(group)}"`));
  const myUid = process.getuid?.();
  const myGid = process.getgid?.();
  const sameUser = uid === undefined || uid === myUid;
  const sameGroup = gid === undefined || gid === myGid;
  if (sameUser && sameGroup) return ok({ uid: undefined, gid: undefined });
  if (myUid !== 0) {
    const option = sameUser ? 'group' : 'user';
    return err(notSupported(task, option, `running as another ${option} needs ignite to run as root`));
  }
  return ok({ uid, gid });
}

function notSupported(task: string, option: string, message: string): Failure {
  return { reason: 'not-supported', task, option, message };
}

/** Runs a lookup without blocking the supervisor; any failure to answer counts as no such account. */
function lookup(account: AccountLookup): Promise<number | null> {
  if ('id' in account) return Promise.resolve(account.id);
  const [file, ...args] = account.argv;
  return new Promise((done) => {
    execFile(file, args, { timeout: 5000 }, (error, stdout) => done(error === null ? account.parse(stdout.trim()) : null));
  });
}
