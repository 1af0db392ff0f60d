/**
 * The one launch of an instance that may be under way (startDelay, preStart,
 * ready preparation, spawn) and its cancellation: once cancelled, its outcome is
 * dropped and nothing it spawned survives the promise `cancel()` returns.
 */
import type { Failure } from '../core/failure.js';
import { aborted, discard, launchAttempt, type AttemptOwner, type Spawned } from './attempt.js';
import { errorMessage } from '../util/error-message.js';

export interface LaunchOutcome {
  failed(failure: Failure): void;
  spawned(launch: Spawned): void;
}

type PreStart = (env: Readonly<Record<string, string>>, signal: AbortSignal) => Promise<Failure[]>;

export class Launcher {
  private current: { abort: AbortController; done: Promise<void> } | undefined;

  constructor(
    private readonly owner: AttemptOwner,
    private readonly preStart: PreStart,
  ) {}

  start(delayMs: number, outcome: LaunchOutcome): void {
    const abort = new AbortController();
    const entry = { abort, done: Promise.resolve() };
    entry.done = this.run(abort.signal, delayMs, outcome)
      .catch((error: unknown) => {
        if (abort.signal.aborted) return;
        outcome.failed({ reason: 'internal', message: errorMessage(error) });
      })
      .finally(() => {
        if (this.current === entry) this.current = undefined;
      });
    this.current = entry;
  }

  /** Cancels the launch under way, if any; resolves once whatever it made is gone. */
  cancel(): Promise<void> {
    const entry = this.current;
    entry?.abort.abort();
    return entry?.done ?? Promise.resolve();
  }

  private async run(signal: AbortSignal, delayMs: number, outcome: LaunchOutcome): Promise<void> {
    const launch = await launchAttempt(this.owner, delayMs, signal, (env) => this.preStart(env, signal));
    // A cancel may have come in while the result travelled here.
    if (aborted(signal)) {
      if (launch.kind === 'spawned') await discard(launch);
      return;
    }
    if (launch.kind === 'failed') outcome.failed(launch.failure);
    else if (launch.kind === 'spawned') {
      try {
        outcome.spawned(launch);
      } catch (error) {
        // a bug past this point must not leave the process running unsupervised
        await discard(launch);
        throw error;
      }
    }
  }
}
