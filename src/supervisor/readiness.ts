/**
 * An attempt's readiness wait and, once it is ready, its health probes. Both only
 * report: the instance's state machine decides what a result means.
 */
import type { Failure } from '../core/failure.js';
import { describeReady } from '../core/ready-spec.js';
import { readyRunOf, type AttemptOwner } from './attempt.js';
import type { Attempt } from './task-run.js';

export type Health = 'healthy' | 'unhealthy' | 'unknown' | null;

/**
 * Waits for the task's ready strategy (at once without one) and calls `done`
 * with nothing when it passed, or with the failure — unless `current()` says the
 * attempt has moved on meanwhile (stopped, exited).
 */
export function awaitReadiness(
  owner: AttemptOwner,
  attempt: Attempt,
  current: () => boolean,
  done: (failure: Failure | undefined) => void,
): void {
  const { ready } = owner.spec;
  if (ready === undefined) {
    done(undefined);
    return;
  }
  owner.host.emit({ type: 'task-waiting', task: owner.name, on: describeReady(ready), at: Date.now() });
  void attempt.prepared.wait(readyRunOf(owner, attempt)).then((result) => {
    // Once the attempt is abandoned (its leader exited, a stop began) the answer is "aborted": not a verdict.
    if (!attempt.abort.signal.aborted && current()) done(result.ok ? undefined : result.error);
  });
}

/**
 * Starts the task's health probes (if it has any) for a ready attempt: a report
 * that changes the health (the first one, healthy ↔ failing, or the count of
 * failures in a row) becomes a `task-health` event, so a steady probe is quiet;
 * `retries` failures in a row call `unhealthy` once. The probes stop with the
 * attempt (its abort signal).
 */
export function watchHealth(
  owner: AttemptOwner,
  attempt: Attempt,
  current: () => boolean,
  setHealth: (health: Health) => void,
  unhealthy: (failure: Failure) => void,
): void {
  const spec = owner.spec.health;
  if (spec === undefined) return;
  const strategy = describeReady(spec.check);
  let last: { healthy: boolean; failures: number } | undefined;
  attempt.health = owner.host.startHealth(spec, readyRunOf(owner, attempt), (report) => {
    if (!current()) return;
    const { healthy, failures, message } = report;
    if (last?.healthy !== healthy || last.failures !== failures) {
      owner.host.emit({ type: 'task-health', task: owner.name, healthy, failures, message, at: Date.now() });
    }
    last = { healthy, failures };
    if (healthy) setHealth('healthy');
    if (!report.unhealthy) return;
    setHealth('unhealthy');
    unhealthy({ reason: 'unhealthy', task: owner.name, strategy, failures, message: message ?? 'check failed' });
  });
}
