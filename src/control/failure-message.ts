import type { Failure } from '../core/failure.js';
import { unreachable } from '../core/result.js';

const quoteList = (items: string[]): string => items.map((s) => JSON.stringify(s)).join(', ');

/** One line for an engine failure, for API error bodies (the CLI renders Failures its own way). */
export function failureMessage(failure: Failure): string {
  switch (failure.reason) {
    case 'no-match':
      return noMatchMessage(failure);
    case 'unknown-task':
      return `unknown task "${failure.task}" (tasks: ${failure.known.join(', ') || 'none'})`;
    case 'spawn-error':
      return `${failure.task}: cannot start ${failure.binary}: ${failure.message}`;
    case 'ready-timeout':
      return `${failure.task}: not ready after ${failure.timeoutMs}ms (${failure.strategy})`;
    case 'ready-error':
      return `${failure.task}: readiness check ${failure.strategy} failed: ${failure.message}`;
    case 'exited':
      return `${failure.task}: exited with ${failure.signal ?? `code ${String(failure.code)}`}`;
    case 'too-quick':
      return `${failure.task}: exited after ${failure.uptimeMs}ms, before its minimum uptime of ${failure.minUptimeMs}ms`;
    case 'max-restarts':
      return `${failure.task}: gave up after ${failure.restarts} restarts`;
    case 'unhealthy':
      return `${failure.task}: unhealthy (${failure.strategy}): ${failure.message}`;
    case 'dependency-failed':
      return `${failure.task}: dependency "${failure.dependency}" failed`;
    case 'dependency-stopped':
      return `${failure.task}: dependency "${failure.dependency}" was stopped`;
    case 'hook-error':
      return `${failure.task}: hook ${failure.hook} failed: ${failure.message}`;
    case 'not-supported':
      return `${failure.task}: ${failure.message}`;
    case 'shutting-down':
      return 'the stack is shutting down';
    case 'internal':
      return failure.message;
    default:
      return unreachable(failure);
  }
}

/** Like the CLI: each pattern that does not compile with why, then the ones that matched nothing. */
function noMatchMessage(failure: Extract<Failure, { reason: 'no-match' }>): string {
  const invalid = failure.invalid ?? [];
  const broken = new Set(invalid.map((entry) => entry.pattern));
  const unmatched = failure.patterns.filter((pattern) => !broken.has(pattern));
  const parts = [
    ...invalid.map((entry) => `${JSON.stringify(entry.pattern)} is not a valid pattern: ${entry.why}`),
    ...(unmatched.length > 0 ? [`no task matches ${quoteList(unmatched)}`] : []),
  ];
  return `${parts.join('; ')} (tasks: ${failure.known.join(', ') || 'none'})`;
}

/** The HTTP status for an engine failure answering a request. */
export function failureStatus(failure: Failure): number {
  return failure.reason === 'no-match' || failure.reason === 'unknown-task' ? 404 : 409;
}
