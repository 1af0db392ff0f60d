import type { Failure } from '../core/failure.js';
import { decide, type AttemptEnd, type Decision, type PolicyTask } from './policy.js';

/**
 * One instance's restart bookkeeping around the pure policy: the streak that
 * grows the backoff and counts against maxRestarts, the restarts shown by `ps`,
 * and the last spawn error (reported once, not once per retry).
 */
export class RestartBook {
  /** Restarts since the last manual start. */
  restarts = 0;
  private streak = 0;
  private spawnErrorKey: string | undefined;

  /** A manual start or restart: counters from zero. */
  reset(): void {
    this.restarts = 0;
    this.streak = 0;
    this.spawnErrorKey = undefined;
  }

  spawned(): void {
    this.spawnErrorKey = undefined;
  }

  /** True when `failure` is the same spawn error as the attempt before. */
  repeats(failure: Failure): boolean {
    const key = failure.reason === 'spawn-error' ? `${failure.code}:${failure.binary}` : undefined;
    const repeated = key !== undefined && key === this.spawnErrorKey;
    this.spawnErrorKey = key;
    return repeated;
  }

  /** The policy's decision for this end; a restart is counted. */
  decide(task: PolicyTask, end: AttemptEnd): Decision {
    const decision = decide(task, end, this.streak);
    if (decision.action === 'restart') {
      this.streak = decision.streak;
      this.restarts += 1;
    }
    return decision;
  }
}
