/**
 * The per-instance lifecycle as data: each state carries what is true in it, and
 * the table below is the one place that says which transitions exist.
 *
 *  idle ─request─▶ pending ─deps met─▶ (startDelay, preStart, spawn) ─▶ starting ─ready─▶ ready
 *  pending ─dependency failed─▶ blocked
 *  starting/ready ─exit─▶ completed | backoff | failed          (restart policy decides)
 *  starting/ready ─ready timeout / unhealthy / stop─▶ stopping ─group gone─▶ stopped | backoff | failed
 *  backoff ─delay─▶ starting (spawned) | backoff (spawn error) | failed
 *  pending/backoff ─stop─▶ stopped
 */
import type { Readable } from 'node:stream';
import type { Failure } from '../core/failure.js';
import type { TaskState } from '../core/states.js';
import type { PreparedReady } from '../ready/types.js';
import type { LazyAbort } from '../util/abort.js';
import type { WiredOutput } from './instance-output.js';
import type { OutputBuffer } from './output/output-buffer.js';
import type { SpawnedChild } from './process/spawn.js';

/** One spawned process and everything that lives exactly as long as it. */
export interface Attempt {
  number: number;
  child: SpawnedChild;
  startedAt: number;
  /** Aborted when the attempt ends: cancels the ready wait and health probes. */
  abort: LazyAbort;
  prepared: PreparedReady;
  output: OutputBuffer;
  /** The framing of stdout/stderr into `output`, the log and events. */
  wired: WiredOutput;
  /** Frames more streams the same way: the stop command's, which speaks for the task. */
  wire: (streams: { stdout: Readable; stderr: Readable }) => WiredOutput;
  env: Readonly<Record<string, string>>;
  /** The ports its ready check probes that nobody listened on when it was spawned. */
  freePorts: readonly number[];
  /** Set once a stop of the group is under way; resolves when the group is gone. */
  stopping: Promise<unknown> | undefined;
  /** Aborted by a forced stop: a running stop command is killed instead of awaited. */
  force: LazyAbort;
  health: { stop(): void } | undefined;
}

/** Why a live attempt is being stopped: a request (→ stopped) or a failure (→ restart policy). */
export type StopCause = { kind: 'request' } | { kind: 'failure'; failure: Failure };

export type TaskRun =
  | { state: 'idle' }
  | { state: 'pending'; released: boolean; waitingOn: string | undefined }
  | { state: 'starting'; attempt: Attempt }
  | { state: 'ready'; attempt: Attempt; readyAt: number }
  | { state: 'completed'; code: number; endedAt: number }
  | { state: 'backoff'; until: number; delayMs: number; failure: Failure | undefined }
  | { state: 'stopping'; attempt: Attempt; readyAt: number | undefined; cause: StopCause }
  | { state: 'stopped'; endedAt: number }
  | { state: 'failed'; failure: Failure; endedAt: number }
  | { state: 'blocked'; failure: Failure };

const TRANSITIONS: Record<TaskState, readonly TaskState[]> = {
  idle: ['pending', 'blocked'],
  pending: ['pending', 'starting', 'blocked', 'stopped', 'backoff', 'failed'],
  starting: ['ready', 'completed', 'backoff', 'failed', 'stopping', 'stopped'],
  ready: ['completed', 'backoff', 'failed', 'stopping', 'stopped'],
  completed: ['pending'],
  backoff: ['starting', 'backoff', 'failed', 'stopped'],
  stopping: ['stopping', 'stopped', 'backoff', 'failed', 'completed'],
  stopped: ['pending', 'blocked'],
  failed: ['pending'],
  blocked: ['pending'],
};

export function canTransition(from: TaskState, to: TaskState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The attempt of a state that has a live process. */
export function liveAttempt(run: TaskRun): Attempt | undefined {
  switch (run.state) {
    case 'starting':
    case 'ready':
    case 'stopping':
      return run.attempt;
    case 'idle':
    case 'pending':
    case 'completed':
    case 'backoff':
    case 'stopped':
    case 'failed':
    case 'blocked':
      return undefined;
    default:
      return unreachableRun(run);
  }
}

/** States in which nothing will happen unless someone asks. */
export function isSettled(state: TaskState): boolean {
  return state === 'idle' || state === 'completed' || state === 'stopped' || state === 'failed' || state === 'blocked';
}

function unreachableRun(run: never): never {
  throw new Error(`internal error: unexpected task state ${JSON.stringify(run)} — please report`);
}

/**
 * Holds one instance's TaskRun: the one place its state changes (checked
 * against the table above), and where callers wait for its process to be gone.
 */
export class RunCell {
  private current: TaskRun = { state: 'idle' };
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly entered: (next: TaskRun, previous: TaskState, failure: Failure | undefined) => void,
    private readonly refused: (from: TaskState, to: TaskState) => void,
  ) {}

  get run(): TaskRun {
    return this.current;
  }

  /** Changes the data of the current state, not the state (pending's waitingOn, stopping's cause). */
  update(next: TaskRun): void {
    if (next.state === this.current.state) this.current = next;
  }

  enter(next: TaskRun, failure?: Failure): void {
    const previous = this.current.state;
    if (!canTransition(previous, next.state)) {
      this.refused(previous, next.state);
      return;
    }
    this.current = next;
    if (liveAttempt(next) === undefined) for (const wake of [...this.waiters]) wake();
    this.entered(next, previous, failure);
  }

  /** Resolves once no process of the instance runs (at once if none does). */
  untilNotLive(): Promise<void> {
    if (liveAttempt(this.current) === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        this.waiters.delete(wake);
        resolve();
      };
      this.waiters.add(wake);
    });
  }
}
