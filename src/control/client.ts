import type { SupervisorEvent } from '../core/events.js';
import type { TaskStatus } from '../core/status.js';
import type { ReloadSummary } from '../core/model.js';
import { err, ok, type Result } from '../core/result.js';
import { call, callRetrying, errorFrom, isBusy, NOBODY_LISTENS, send } from './client-request.js';
import { EventStream } from './client-events.js';
import { findSocketPath } from './paths.js';
import type { ControlFailure, ControlSignal, HistoryRecord, InfoResponse, LogLine } from './types.js';
import { lstat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import { isSameProcess, unixSocketListening } from './proc.js';
import { readStateFile } from './state-file.js';
import { leftBehind } from './cleanup.js';
import { shellWord } from '../util/shell-word.js';

type R<T> = Promise<Result<T, ControlFailure>>;

const query = (patterns: readonly string[] | undefined, extra: Record<string, string> = {}): string => {
  const params = new URLSearchParams(extra);
  for (const pattern of patterns ?? []) params.append('pattern', pattern);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
};

/** Talks to a running supervisor over its control socket. */
export class ControlClient {
  private constructor(
    readonly socketPath: string,
    readonly stateDir: string,
    /** What the supervisor said of itself (`GET /v1/info`) when the client connected. */
    readonly supervisor?: InfoResponse,
  ) {}

  /**
   * Connects to the stack of `stateDir`. `not-running` only when nobody listens
   * on the socket (ENOENT / ECONNREFUSED) and the recorded supervisor is not
   * alive; a server that resets or stays silent is asked again (see
   * `callRetrying`), then it is `not-answering` — never "not running".
   */
  static async connect(stateDir: string): R<ControlClient> {
    const dir = resolve(stateDir);
    const client = new ControlClient(await findSocketPath(dir), dir);
    const info = await client.info();
    if (info.ok) return ok(new ControlClient(client.socketPath, dir, info.value));
    const failure = info.error;
    if (failure.reason !== 'connection-lost') return err(failure);
    if (failure.code === 'EACCES' || failure.code === 'EPERM') return err(await permissionDenied(dir, client.socketPath));
    const pid = await liveSupervisorPid(dir);
    const nobody = failure.code !== undefined && NOBODY_LISTENS.has(failure.code);
    if (nobody && pid === undefined) {
      const left = (await leftBehind(dir)).map((child) => `${child.task} (pid ${String(child.pid)})`);
      const message =
        left.length === 0
          ? `no ignite stack is running for ${dir} (start one with \`npx --no ignite up -d\`)`
          : `no ignite stack is running for ${dir}, but processes left by an ignite that died still run: ${left.join(', ')}; \`ignite down\` stops them`;
      return err({ reason: 'not-running', stateDir: dir, message });
    }
    return err(notAnswering(dir, pid, failure.message));
  }

  info(): R<InfoResponse> {
    return this.json('GET', '/v1/info');
  }

  async status(patterns?: string[]): R<TaskStatus[]> {
    const body = await this.json<{ tasks: TaskStatus[] }>('GET', `/v1/status${query(patterns)}`);
    return body.ok ? ok(body.value.tasks) : body;
  }

  start(patterns: string[]): R<string[]> {
    return names(this.act('start', patterns));
  }

  stop(patterns: string[]): R<string[]> {
    return names(this.act('stop', patterns));
  }

  restart(patterns: string[]): R<string[]> {
    return names(this.act('restart', patterns));
  }

  kill(patterns: string[], signal?: ControlSignal): R<string[]> {
    return names(this.act('kill', patterns, signal));
  }

  /**
   * Runs the action and answers with the instances acted on and their rows as the
   * action left them (`status` undefined from a supervisor that does not send them).
   */
  async act(verb: 'start' | 'stop' | 'restart' | 'kill', patterns: string[], signal?: ControlSignal): R<ActionAnswer> {
    const body = signal === undefined ? { patterns } : { patterns, signal };
    const result = await this.json<{ tasks?: string[]; status?: TaskStatus[] }>('POST', `/v1/${verb}`, body);
    return result.ok ? ok({ tasks: result.value.tasks ?? [], status: result.value.status }) : result;
  }

  /** Asks the supervisor to load its config file again and apply it. */
  async reload(): R<ReloadSummary> {
    const body = await this.json<{ reload: ReloadSummary }>('POST', '/v1/reload', {});
    return body.ok ? ok(body.value.reload) : body;
  }

  async down(): R<void> {
    const body = await this.json('POST', '/v1/down', {});
    return body.ok ? ok(undefined) : body;
  }

  /** The last `lines` lines of each selected instance's log files. */
  async logs(options: { patterns?: string[]; lines?: number } = {}): R<LogLine[]> {
    const extra: Record<string, string> = options.lines === undefined ? {} : { lines: String(options.lines) };
    const body = await this.json<{ lines: LogLine[] }>('GET', `/v1/logs${query(options.patterns, extra)}`);
    return body.ok ? ok(body.value.lines) : body;
  }

  /**
   * Live events (task events only for the selected instances; without `task-output`
   * events when `output` is false); `close()` the stream when done.
   */
  events(options: { patterns?: string[]; output?: boolean } = {}): R<EventStream> {
    const extra: Record<string, string> = options.output === false ? { output: 'false' } : {};
    return this.stream(`/v1/events${query(options.patterns, extra)}`);
  }

  /**
   * `logs -f`: first one `history` record (the last `lines` lines of each selected task's
   * log streams), then the live events from exactly the line after it.
   */
  follow(options: { patterns?: string[]; lines: number }): R<EventStream<SupervisorEvent | HistoryRecord>> {
    return this.stream(`/v1/events${query(options.patterns, { lines: String(options.lines) })}`);
  }

  private async stream<T>(path: string): R<EventStream<T>> {
    const sent = await send({ socketPath: this.socketPath, method: 'GET', path });
    if (!sent.ok) return sent;
    const res = sent.value;
    if (res.statusCode !== 200) return err(this.explain(await errorFrom(res), 'GET', path));
    return ok(new EventStream<T>(res));
  }

  private async json<T>(method: 'GET' | 'POST', path: string, body?: unknown): R<T> {
    // A GET is safe to repeat and quick to answer: bounded and retried. A POST may
    // legitimately take a whole shutdown timeout and must not run twice.
    const result =
      method === 'GET'
        ? await callRetrying({ socketPath: this.socketPath, method, path, timeoutMs: GET_TIMEOUT_MS })
        : await call({ socketPath: this.socketPath, method, path, body });
    if (result.ok) return ok(result.value as T);
    if (!isBusy(result.error)) return err(this.explain(result.error, method, path));
    return err(notAnswering(this.stateDir, await liveSupervisorPid(this.stateDir), result.error.message));
  }

  /**
   * An endpoint the supervisor does not know: it runs an older ignite than this client
   * (started before an upgrade). Says which, and that restarting the stack fixes it.
   */
  private explain(failure: ControlFailure, method: 'GET' | 'POST', path: string): ControlFailure {
    if (failure.reason !== 'server-error' || failure.code !== 'not-found') return failure;
    const running = this.supervisor;
    const who = running === undefined ? 'the running supervisor' : `the running supervisor (pid ${String(running.pid)})`;
    const what = running?.version === undefined ? 'an older ignite than this one' : `ignite ${running.version}`;
    const endpoint = `${method} ${path.split('?')[0] ?? path}`;
    const message = `${who} is ${what}, which has no ${endpoint}: restart the stack with this ignite to use it (\`ignite down\`, then \`ignite up -d\`)`;
    return { ...failure, message };
  }
}

export interface ActionAnswer {
  tasks: string[];
  status: TaskStatus[] | undefined;
}

async function names(answer: R<ActionAnswer>): R<string[]> {
  const result = await answer;
  return result.ok ? ok(result.value.tasks) : result;
}

/** Per attempt; the supervisor answers a GET from memory, so this only trips when it is stuck. */
const GET_TIMEOUT_MS = 4_000;

function notAnswering(stateDir: string, pid: number | undefined, detail: string): ControlFailure {
  const who = pid === undefined ? `the ignite stack at ${stateDir}` : `the ignite stack at ${stateDir} (pid ${pid})`;
  return { reason: 'not-answering', stateDir, pid, message: `${who} is not answering (busy?); ${detail}` };
}

/**
 * Another user's stack: its socket (or the 0700 folder holding it) is not ours to open.
 * When no server listens on that socket (/proc/net/unix says so), no stack runs: the
 * state dir was left by another user (an earlier `sudo ignite up`), and that is said.
 */
async function permissionDenied(stateDir: string, socketPath: string): Promise<ControlFailure> {
  const uid = process.getuid?.();
  const owned = await firstOwner([socketPath, dirname(socketPath), stateDir]);
  const foreign = owned !== undefined && owned.uid !== uid ? owned : undefined;
  if (foreign !== undefined && unixSocketListening(socketPath) === false) {
    return {
      reason: 'foreign-state-dir',
      stateDir,
      path: foreign.path,
      uid: foreign.uid,
      message:
        `no ignite stack is running for ${stateDir}, but ${foreign.path} belongs to another user (uid ${String(foreign.uid)}), ` +
        `so this user can neither reach nor start a stack there: run ignite as that user, or give the state dir to this user ` +
        `(\`sudo chown -R ${thisUser()} ${shellWord(stateDir)}\`), or give the config another \`stateDir\``,
    };
  }
  const whose = foreign !== undefined ? `belongs to another user (uid ${String(foreign.uid)})` : 'is not open to this user';
  return {
    reason: 'permission-denied',
    stateDir,
    socketPath,
    message: `permission denied: the control socket of the ignite stack at ${stateDir} (${socketPath}) ${whose}; run ignite as that user`,
  };
}

function thisUser(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? '$USER');
  }
}

/** The first of `paths` this user can look at, with its owner. */
async function firstOwner(paths: string[]): Promise<{ path: string; uid: number } | undefined> {
  for (const path of paths) {
    const info = await lstat(path).catch(() => undefined);
    if (info !== undefined) return { path, uid: info.uid };
  }
  return undefined;
}

/** The supervisor the state file records, if that very process is still alive. */
async function liveSupervisorPid(stateDir: string): Promise<number | undefined> {
  const state = await readStateFile(stateDir);
  if (state === undefined) return undefined;
  return isSameProcess(state.supervisorPid, state.supervisorStart) ? state.supervisorPid : undefined;
}

export type { EventStream, SupervisorEvent };
