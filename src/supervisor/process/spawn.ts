/**
 * Starts one attempt of a task: its own session and process group, stdin as
 * `SpawnRequest.stdin` says, stdout/stderr piped (and fd 3 when a ready strategy asks for it). Everything a
 * user can get wrong is checked first and returned as a `spawn-error` or
 * `not-supported` Failure naming the task and the binary.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Command } from '../../core/model.js';
import type { Failure } from '../../core/failure.js';
import { err, ok, type Result } from '../../core/result.js';
import { checkCwd, resolveBinary, resolveCredentials } from './resolve.js';
import { errorMessage } from '../../util/error-message.js';

export interface SpawnRequest {
  /** Instance name, for messages. */
  task: string;
  command: Command;
  cwd: string;
  /** The child's complete environment. */
  env: Record<string, string>;
  notifyFd: boolean;
  /**
   * 'null': /dev/null, so a prompt reads end-of-input (a oneshot must not wait for ever).
   * 'open': a pipe ignite never writes to and closes when the task's leader exits or ignite
   * ends, as a terminal or `npm run` gives: watchers that stop when their stdin closes
   * (esbuild --watch, webpack --watch-stdin) keep running, and stop with ignite.
   */
  stdin: 'null' | 'open';
  user: string | number | undefined;
  group: string | number | undefined;
  umask: number | undefined;
  cpus: number[] | undefined;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

export interface SpawnedChild {
  /** The leader's pid, which is also the process group id. */
  pid: number;
  stdout: Readable;
  stderr: Readable;
  notify: Readable | undefined;
  /** Resolves when the leader has exited (never rejects). */
  exited: Promise<ChildExit>;
  /** Resolves when every stdio pipe is closed (may never happen if an escaped process holds one). */
  closed: Promise<void>;
  process: ChildProcess;
}

export type SpawnFn = (request: SpawnRequest) => Promise<Result<SpawnedChild, Failure>>;

const SHELL = '/bin/sh';

export const spawnChild: SpawnFn = async (request) => {
  const argv = buildArgv(request);
  if (!argv.ok) return argv;
  const credentials = await resolveCredentials(request.task, request.user, request.group);
  if (!credentials.ok) return credentials;
  const asUser = switchUser(request, credentials.value, argv.value.argv);
  const [file, ...args] = asUser.argv;
  const stdin = request.stdin === 'open' ? 'pipe' : 'ignore';
  const stdio: StdioOptions = request.notifyFd ? [stdin, 'pipe', 'pipe', 'pipe'] : [stdin, 'pipe', 'pipe'];
  let child: ChildProcess;
  try {
    child = spawn(file, args, { cwd: request.cwd, env: request.env, detached: true, stdio, ...asUser.ids });
  } catch (error) {
    return err(fromSpawnError(request.task, argv.value.binary, error));
  }
  return awaitSpawn(request.task, argv.value.binary, child);
};

function awaitSpawn(task: string, binary: string, child: ChildProcess): Promise<Result<SpawnedChild, Failure>> {
  return new Promise((done) => {
    const exited = new Promise<ChildExit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
    });
    // Nothing is written to an open stdin: its end is only closed, once the leader is gone.
    child.stdin?.on('error', () => undefined);
    void exited.then(() => child.stdin?.destroy());
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const onError = (error: Error): void => {
      child.removeListener('spawn', onSpawn);
      done(err(fromSpawnError(task, binary, error)));
    };
    const onSpawn = (): void => {
      child.removeListener('error', onError);
      // Later errors (e.g. a failed kill) must not crash the supervisor.
      child.on('error', () => undefined);
      const { stdout, stderr } = child;
      if (child.pid === undefined || stdout === null || stderr === null) {
        done(err({ reason: 'internal', message: `task "${task}": spawn gave no pid or pipes` }));
        return;
      }
      const notify = child.stdio[3];
      done(ok({ pid: child.pid, stdout, stderr, notify: isReadable(notify) ? notify : undefined, exited, closed, process: child }));
    };
    child.once('error', onError);
    child.once('spawn', onSpawn);
  });
}

function isReadable(stream: unknown): stream is Readable {
  return typeof stream === 'object' && stream !== null && 'read' in stream;
}

interface Argv {
  argv: [string, ...string[]];
  /** What the user named, for messages. */
  binary: string;
}

function buildArgv(request: SpawnRequest): Result<Argv, Failure> {
  const { task, command, cwd, env } = request;
  const binary = command.kind === 'shell' ? SHELL : command.file;
  const cwdOk = checkCwd(task, cwd, binary);
  if (!cwdOk.ok) return cwdOk;
  let argv: [string, ...string[]];
  if (command.kind === 'shell') {
    argv = [SHELL, '-c', command.script];
  } else {
    const resolved = resolveBinary(task, command.file, env.PATH, cwd);
    if (!resolved.ok) return resolved;
    argv = [resolved.value, ...command.args];
  }
  if (request.cpus !== undefined && request.cpus.length > 0) {
    const taskset = resolveBinary(task, 'taskset', env.PATH ?? '/usr/bin:/bin', cwd);
    if (!taskset.ok) {
      return err({
        reason: 'not-supported',
        task,
        option: 'cpus',
        message: 'cpus needs the taskset command (util-linux), which was not found in PATH',
      });
    }
    argv = [taskset.value, '-c', request.cpus.join(','), ...argv];
  }
  if (request.umask !== undefined) {
    const mask = request.umask.toString(8).padStart(4, '0');
    // The mask is our own octal digits; the command stays argv ("$0" "$@"), never pasted.
    argv = [SHELL, '-c', `umask ${mask}; exec "$0" "$@"`, ...argv];
  }
  return ok({ argv, binary });
}

/**
 * Running as another user. Node sets the uid and gid itself but drops the user's
 * supplementary groups (libuv calls setgroups(0)): a task in `docker` or `video` lost
 * that access. A user given by name therefore starts through util-linux's setpriv,
 * which sets them as login and supervisord do (initgroups) and then execs the command:
 * same pid, same group. Without setpriv, Node's way.
 */
function switchUser(
  request: SpawnRequest,
  credentials: { uid: number | undefined; gid: number | undefined },
  argv: [string, ...string[]],
): { argv: [string, ...string[]]; ids: { uid?: number; gid?: number } } {
  const { uid, gid } = credentials;
  const ids = { ...(uid === undefined ? {} : { uid }), ...(gid === undefined ? {} : { gid }) };
  if (uid === undefined || gid === undefined || typeof request.user !== 'string') return { argv, ids };
  const setpriv = resolveBinary(request.task, 'setpriv', SYSTEM_PATH, request.cwd);
  if (!setpriv.ok) return { argv, ids };
  return { argv: [setpriv.value, `--reuid=${String(uid)}`, `--regid=${String(gid)}`, '--init-groups', '--', ...argv], ids: {} };
}

const SYSTEM_PATH = '/usr/bin:/bin:/usr/sbin:/sbin';

function fromSpawnError(task: string, binary: string, error: unknown): Failure {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'EUNKNOWN';
  const message = errorMessage(error);
  // the message as Node gave it: every reader of the failure says which task and binary
  return { reason: 'spawn-error', task, code, binary, message };
}
