/**
 * Restart policy as pure functions: given how an attempt ended and the current
 * streak of restarts, decide whether the task completed, restarts after a
 * backoff, or gives up. No timers, no I/O.
 */
import type { Failure } from '../core/failure.js';
import type { RestartSpec } from '../core/model.js';
import { describeReady, type ReadySpec } from '../core/ready-spec.js';

/** A task counts as "up steadily" (its restart streak resets) after this long, or minUptime if longer. */
export const STEADY_MS = 10_000;

export type AttemptEnd =
  /** The leader exited on its own (or was killed by a signal someone else sent). */
  | { kind: 'exit'; code: number | null; signal: string | null; uptimeMs: number; wasReady: boolean; lastLines: string[] }
  /** The attempt failed before or beside an exit: spawn error, preStart hook, ready timeout, unhealthy. */
  | { kind: 'failure'; failure: Failure; uptimeMs: number; wasReady: boolean };

export type Decision =
  | { action: 'complete'; code: number }
  | { action: 'restart'; delayMs: number; streak: number; failure: Failure | undefined }
  | { action: 'fail'; failure: Failure };

export interface PolicyTask {
  name: string;
  oneshot: boolean;
  restart: RestartSpec;
  /** Its ready strategy: a service with one that exits before it passed failed to start. */
  ready?: ReadySpec | undefined;
}

export function backoffDelay(spec: RestartSpec, streak: number): number {
  // factor^streak reaches Infinity after ~1,000 restarts, and 0 × Infinity is NaN
  if (spec.backoffMs === 0) return 0;
  const raw = spec.backoffMs * Math.pow(Math.max(1, spec.factor), streak);
  return Math.round(Math.min(raw, spec.maxBackoffMs));
}

export function steadyAfterMs(spec: RestartSpec): number {
  return Math.max(spec.minUptimeMs, STEADY_MS);
}

/** The streak that applies to this end: it resets when the attempt had been ready and up steadily. */
export function effectiveStreak(spec: RestartSpec, end: AttemptEnd, streak: number): number {
  return end.wasReady && end.uptimeMs >= steadyAfterMs(spec) ? 0 : streak;
}

export function decide(task: PolicyTask, end: AttemptEnd, currentStreak: number): Decision {
  const spec = task.restart;
  const streak = effectiveStreak(spec, end, currentStreak);
  const outcome = classify(task, end);
  if (outcome.kind === 'complete' && spec.policy !== 'always') return { action: 'complete', code: outcome.code };
  if (spec.policy === 'never') {
    return outcome.kind === 'complete' ? { action: 'complete', code: outcome.code } : { action: 'fail', failure: outcome.failure };
  }
  const failure = outcome.kind === 'failed' ? outcome.failure : undefined;
  if (streak >= spec.maxRestarts) {
    const last = failure ?? exitedFailure(task, end);
    return { action: 'fail', failure: spec.maxRestarts === 0 ? last : { reason: 'max-restarts', task: task.name, restarts: streak, last } };
  }
  return { action: 'restart', delayMs: backoffDelay(spec, streak), streak: streak + 1, failure };
}

type Outcome = { kind: 'complete'; code: number } | { kind: 'failed'; failure: Failure };

/**
 * Was this end a success (an expected exit) or a failure? A service that exits before its
 * ready strategy passed never was up, whatever its code; minUptime applies to services only.
 */
function classify(task: PolicyTask, end: AttemptEnd): Outcome {
  if (end.kind === 'failure') return { kind: 'failed', failure: end.failure };
  const spec = task.restart;
  const expected = end.signal === null && end.code !== null && spec.exitCodes.includes(end.code);
  if (!expected || exitedBeforeReady(task, end)) return { kind: 'failed', failure: exitedFailure(task, end) };
  const code = end.code ?? 0;
  // supervisord's startsecs: a service that exits before minUptime failed to start,
  // whatever its code — unless the policy never restarts anyway. A oneshot is never "too quick".
  if (!task.oneshot && spec.policy !== 'never' && end.uptimeMs < spec.minUptimeMs) {
    return {
      kind: 'failed',
      failure: {
        reason: 'too-quick',
        task: task.name,
        uptimeMs: end.uptimeMs,
        minUptimeMs: spec.minUptimeMs,
        code: end.code,
        signal: end.signal,
      },
    };
  }
  return { kind: 'complete', code };
}

/** A service (not a oneshot) whose ready strategy had not passed when it exited. Without a strategy it is ready once spawned. */
function exitedBeforeReady(task: PolicyTask, end: AttemptEnd): boolean {
  return !task.oneshot && task.ready !== undefined && !end.wasReady;
}

function exitedFailure(task: PolicyTask, end: AttemptEnd): Failure {
  if (end.kind === 'failure') return end.failure;
  const failure: Failure = {
    reason: 'exited',
    task: task.name,
    code: end.code,
    signal: end.signal,
    expected: task.restart.exitCodes,
    lastLines: end.lastLines,
  };
  return exitedBeforeReady(task, end) ? { ...failure, beforeReady: describeReady(task.ready) } : failure;
}
