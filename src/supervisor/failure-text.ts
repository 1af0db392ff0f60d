import { constants } from 'node:os';
import type { Failure } from '../core/failure.js';
import { unreachable } from '../core/result.js';

/** One line a person can read, for warnings and the `message` column of a status row. */
export function describeFailure(failure: Failure): string {
  switch (failure.reason) {
    case 'spawn-error':
    case 'not-supported':
      return failure.message;
    case 'hook-error':
      return `hook ${failure.hook} failed: ${failure.message}`;
    case 'ready-timeout':
      return `not ready within ${failure.timeoutMs}ms (${failure.strategy})`;
    case 'ready-error':
      return `readiness check ${failure.strategy} failed: ${failure.message}`;
    case 'exited':
      return failure.signal === null ? `exited with code ${String(failure.code)}` : `killed by ${failure.signal}`;
    case 'too-quick':
      return `exited after ${failure.uptimeMs}ms, before minUptime ${failure.minUptimeMs}ms (${exitText(failure.code, failure.signal)})`;
    case 'max-restarts':
      return `gave up after ${failure.restarts} restarts: ${describeFailure(failure.last)}`;
    case 'unhealthy':
      return `unhealthy after ${failure.failures} failed checks (${failure.strategy}): ${failure.message}`;
    case 'dependency-failed':
      return `dependency ${failure.dependency} failed`;
    case 'no-match':
      return `no task matches ${failure.patterns.join(' ')}`;
    case 'unknown-task':
      return `unknown task "${failure.task}"`;
    case 'internal':
      return `internal error: ${failure.message}`;
    default:
      return unreachable(failure);
  }
}

function exitText(code: number | null, signal: string | null): string {
  return signal === null ? `code ${String(code)}` : signal;
}

const SIGNAL_NUMBERS: Readonly<Record<string, number | undefined>> = constants.signals;

/** The shell convention for an exit status: the code, or 128 + the signal's number. */
export function exitStatus(code: number | null, signal: string | null): number {
  if (code !== null) return code;
  const number = signal === null ? undefined : SIGNAL_NUMBERS[signal];
  return number === undefined ? 1 : 128 + number;
}
