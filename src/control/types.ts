import { constants } from 'node:os';
import type { ControlApi, ControlSpec } from '../core/model.js';
import type { Failure } from '../core/failure.js';

/** What can go wrong talking to (or starting) the control plane. Every member carries a `message` a user can read. */
export type ControlFailure =
  | { reason: 'already-running'; pid: number | undefined; socketPath: string; message: string; configFile?: string }
  | { reason: 'not-running'; stateDir: string; message: string }
  | { reason: 'unsafe-path'; path: string; message: string }
  | { reason: 'listen-error'; address: string; code: string; message: string }
  | { reason: 'insecure-http'; host: string; message: string }
  | { reason: 'token-file'; file: string; message: string }
  | { reason: 'server-error'; status: number; code: string; message: string; failure?: Failure }
  | { reason: 'not-answering'; stateDir: string; pid: number | undefined; message: string }
  | { reason: 'permission-denied'; stateDir: string; socketPath: string; message: string }
  /** No stack runs, but the state dir's run folder belongs to another user: this one can use it for nothing. */
  | { reason: 'foreign-state-dir'; stateDir: string; path: string; uid: number; message: string }
  | { reason: 'connection-lost'; message: string; code?: string };

export interface ControlLimits {
  /** Largest accepted request body in bytes (413 above). */
  maxBodyBytes: number;
  /** Time allowed to receive the headers / the whole request. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** A connection that sends nothing for this long before (or between) requests is closed. */
  idleTimeoutMs: number;
  /**
   * Open connections per listener. At the limit a new connection closes the
   * longest-idle one; it is refused only when every connection is mid-request.
   */
  maxConnections: number;
}

export const DEFAULT_LIMITS: ControlLimits = {
  maxBodyBytes: 64 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  idleTimeoutMs: 3_000,
  maxConnections: 512,
};

export interface SupervisorInfo {
  pid: number;
  configFile: string;
  /** The ignite version the supervisor runs; a supervisor older than this field says none. */
  version?: string;
  /** Wall-clock ms. */
  startedAt: number;
}

export interface ControlServerOptions {
  stateDir: string;
  api: ControlApi;
  http?: ControlSpec['http'];
  /** The log files of an instance per stream (stdout's, then stderr's), each oldest first (rotated files before the current one). */
  logFiles: (task: string) => string[][];
  /** Holds a task's log writer while its history is read (Supervisor.holdLogs); without it, files are read as they are. */
  holdLogs?: (task: string) => Promise<() => void>;
  info: SupervisorInfo;
  /** Whether a down has begun; `GET /v1/info` says so. */
  stopping?: () => boolean;
  limits?: Partial<ControlLimits>;
}

export interface ControlServerHandle {
  socketPath: string;
  /** `http://127.0.0.1:PORT` when the TCP listener runs. */
  httpUrl?: string;
  close(): Promise<void>;
}

/** `GET /v1/info`. */
/** What `GET /v1/info` answers: times as ISO strings, as in every JSON ignite prints. */
export interface InfoResponse extends Omit<SupervisorInfo, 'startedAt'> {
  startedAt: string;
  /** A down has begun (asked for, or a required task's failure): the stack is going away. */
  stopping: boolean;
  socketPath: string;
  httpUrl: string | null;
}

export interface LogLine {
  task: string;
  line: string;
}

/** The most lines of history a request may ask for (per stream of each task): it bounds the supervisor's memory. */
export const MAX_LOG_LINES = 10_000;

/** The first record of `GET /v1/events?lines=N`: the history, up to exactly where the events that follow begin. */
export interface HistoryRecord {
  type: 'history';
  lines: LogLine[];
}

export const SIGNALS = [
  'SIGTERM', 'SIGKILL', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2',
  'SIGSTOP', 'SIGCONT', 'SIGTSTP', 'SIGWINCH', 'SIGALRM', 'SIGABRT',
] as const;
export type ControlSignal = (typeof SIGNALS)[number];

/** `TERM`, `sigterm`, `SIGTERM`, `15` (as kill(1), docker kill and supervisorctl take it) → `SIGTERM`; undefined when not in the allowed list. */
export function normalizeSignal(input: string): ControlSignal | undefined {
  const upper = input.trim().toUpperCase();
  if (/^\d+$/.test(upper)) return SIGNALS.find((s) => constants.signals[s] === Number(upper));
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return SIGNALS.find((s) => s === name);
}
