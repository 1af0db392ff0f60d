/**
 * The contract between the supervisor and the readiness/health probes.
 * The supervisor prepares a strategy before spawning (some need a FIFO or an
 * extra fd), passes `env` and `needsNotifyFd` to the spawn, then waits.
 */
import type { Readable } from 'node:stream';
import type { Failure } from '../core/failure.js';
import type { Result } from '../core/result.js';
import type { ReadySpec, PluginReadyFunction } from '../core/ready-spec.js';

export type OutputStream = 'stdout' | 'stderr';

/** A task's framed output, as the supervisor's output layer delivers it. */
export interface OutputSource {
  /** The most recent complete lines (both streams), oldest first; at most ~50. */
  recent(): readonly string[];
  /**
   * Called for every complete line, and with `partial: true` for the text of a line
   * still waiting for its newline (each time more of it arrives). Returns an unsubscribe.
   */
  subscribe(listener: (line: string, stream: OutputStream, partial: boolean) => void): () => void;
}

export interface ReadyRun {
  task: string;
  pid: number;
  cwd: string;
  /** The child's full environment. */
  env: Readonly<Record<string, string>>;
  output: OutputSource;
  /** Readable end of the notify fd when the strategy asked for one. */
  notify: Readable | undefined;
  timeoutMs: number;
  /** Aborted when the attempt is abandoned (stop requested, child exited). */
  signal: AbortSignal;
  plugins: Readonly<Record<string, PluginReadyFunction>>;
}

export interface PreparedReady {
  /** Extra environment for the child: IGNITE_READY_PIPE, IGNITE_NOTIFY_FD. */
  env: Record<string, string>;
  /** Ask the spawn for an extra pipe; its child-side fd number goes in IGNITE_NOTIFY_FD. */
  needsNotifyFd: boolean;
  /**
   * Resolves ok once ready, or a `ready-timeout` / `ready-error` Failure naming the task,
   * the strategy and the last output lines. Resolves (never rejects) when `run.signal`
   * aborts, with a `ready-error` whose message is "aborted"; the caller ignores it.
   */
  wait(run: ReadyRun): Promise<Result<void, Failure>>;
  /** Removes FIFOs and other resources made by prepare. Idempotent. */
  dispose(): Promise<void>;
}

export interface PrepareOptions {
  task: string;
  /** A private folder (0700) where a FIFO may be created: `<stateDir>/run`. */
  runDir: string;
  cwd: string;
  /**
   * Set when the task runs as another user: a FIFO in the private `runDir` would
   * be out of its reach, so it is made in a folder of its own (0700, owned by
   * `uid`/`gid`) under `dir`, a folder others may traverse but not list (0711).
   */
  owner?: { uid: number; gid: number | undefined; dir: string };
}

/** What one health probe reports. */
export interface HealthReport {
  healthy: boolean;
  /** Failures in a row so far. */
  failures: number;
  message: string | undefined;
  /** True once `retries` failures in a row were reached: the supervisor restarts by policy. */
  unhealthy: boolean;
}

export type { ReadySpec };

/** What a health probe gets: a ready run without a deadline (each check has its own) or a notify fd. */
export type HealthRun = Omit<ReadyRun, 'timeoutMs' | 'notify'>;

export type { HealthSpec } from '../core/model.js';
