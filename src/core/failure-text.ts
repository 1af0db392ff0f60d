import { constants } from 'node:os';
import { dirname } from 'node:path';
import type { Failure } from './failure.js';
import { unreachable } from './result.js';
import { didYouMean } from '../util/did-you-mean.js';
import { formatDuration } from '../util/duration.js';

const LAST_LINES = 5;

/** A failure as a person reads it: `api: cannot start "nodee": command not found in PATH (ENOENT)`. */
export function formatFailure(failure: Failure): string {
  switch (failure.reason) {
    case 'no-match':
    case 'unknown-task':
    case 'shutting-down':
    case 'internal':
      return describeFailure(failure);
    case 'spawn-error':
    case 'ready-timeout':
    case 'ready-error':
    case 'exited':
    case 'too-quick':
    case 'max-restarts':
    case 'unhealthy':
    case 'dependency-failed':
    case 'dependency-stopped':
    case 'hook-error':
    case 'not-supported':
      return `${failure.task}: ${describeFailure(failure)}`;
    default:
      return unreachable(failure);
  }
}

export interface DescribeOptions {
  /**
   * Append the task's last output lines (on lines of their own); false keeps it to one
   * line; 'last': one line still, ending with the last line the task printed.
   */
  output: boolean | 'last';
}

/**
 * The same text without the leading task name, for lines already prefixed by it.
 * `{ output: false }` gives one line, for status rows and warnings.
 */
export function describeFailure(failure: Failure, options: DescribeOptions = { output: true }): string {
  const lastOutput = options.output === true ? outputBlock : options.output === 'last' ? lastLine : (): string => '';
  switch (failure.reason) {
    case 'spawn-error':
      if (failure.cwd !== undefined) {
        return `cannot start "${failure.binary}": its working directory ${failure.cwd} ${failure.code === 'ENOTDIR' ? 'is not a folder' : 'does not exist'}`;
      }
      return `cannot start "${failure.binary}": ${spawnProblem(failure.code, failure.binary, failure.message)} (${failure.code})${localBinHint(failure)}`;
    case 'ready-timeout':
      return `not ready after ${formatDuration(failure.timeoutMs)} (${failure.strategy}${failure.lastCheck === undefined ? '' : `; last check: ${failure.lastCheck}`})${lastOutput(failure.lastLines)}`;
    case 'ready-error':
      return `readiness check ${failure.strategy} failed: ${failure.message}${lastOutput(failure.lastLines)}`;
    case 'exited':
      return `${exitText(failure.code, failure.signal)}${exitedWhy(failure)}${lastOutput(failure.lastLines)}`;
    case 'too-quick':
      return `${exitText(failure.code, failure.signal)} after ${formatDuration(failure.uptimeMs)}, before its minUptime of ${formatDuration(failure.minUptimeMs)} (a failed start${failure.code === 0 ? `; a task meant to finish is \`oneshot: true\`; ${FOREGROUND}` : ''})`;
    case 'max-restarts':
      return `gave up after ${failure.restarts} ${failure.restarts === 1 ? 'restart' : 'restarts'}; last: ${describeFailure(failure.last, options)}`;
    case 'unhealthy':
      return `unhealthy after ${failure.failures} failed ${failure.failures === 1 ? 'check' : 'checks'} (${failure.strategy}): ${failure.message}`;
    case 'dependency-failed':
      return dependencyText(failure);
    case 'dependency-stopped':
      return failure.how === 'blocked'
        ? `not started because ${failure.dependency} is blocked${failure.root === undefined ? '' : ` (${failure.root} was stopped)`}`
        : `not started because ${failure.dependency} was stopped`;
    case 'hook-error':
      return `${failure.hook} hook failed: ${failure.message}`;
    case 'no-match':
      return noMatchText(failure);
    case 'unknown-task': {
      const near = didYouMean(failure.task, failure.known);
      const hint = near === undefined ? '' : ` — did you mean "${near}"?`;
      return `unknown task "${failure.task}"${hint}; tasks: ${failure.known.join(', ')}`;
    }
    case 'not-supported':
      return failure.message;
    case 'shutting-down':
      return 'the stack is shutting down';
    case 'internal':
      return `internal error — please report: ${failure.message}`;
    default:
      return unreachable(failure);
  }
}

function noMatchText(failure: Extract<Failure, { reason: 'no-match' }>): string {
  const invalid = failure.invalid ?? [];
  const broken = new Set(invalid.map((i) => i.pattern));
  const unmatched = failure.patterns.filter((p) => !broken.has(p));
  const parts = [
    ...invalid.map((i) => `"${i.pattern}" is not a valid pattern: ${i.why}`),
    ...(unmatched.length > 0 ? [`no task matches ${unmatched.map((p) => `"${p}"`).join(', ')}`] : []),
    ...(failure.tags === undefined ? [] : [failure.tags.length === 0 ? 'no task has tags' : `tags: ${failure.tags.map((t) => `@${t}`).join(', ')}`]),
    `tasks: ${failure.known.join(', ')}`,
    // supervisorctl's and pm2's `stop all`
    ...(unmatched.includes('all') ? ["every task is '*'"] : []),
  ];
  return parts.join('; ');
}

function dependencyText(failure: Extract<Failure, { reason: 'dependency-failed' }>): string {
  if (failure.how === 'stopped') return `stopped because ${failure.dependency} failed (its onFailure is 'stop-dependents')`;
  if (failure.how === 'blocked') return `not started because ${failure.dependency} is blocked${failure.root === undefined ? '' : ` (${failure.root} failed)`}`;
  return `not started because ${failure.dependency} failed`;
}

/** Where npm scripts and npx would have found the command, and how to run it from there. */
function localBinHint(failure: Extract<Failure, { reason: 'spawn-error' }>): string {
  if (failure.localBin === undefined) return '';
  return `; it is in ${dirname(failure.localBin)}, which is not in PATH: write ['npx', '${failure.binary}', …], or run ignite through npx or an npm script (they add node_modules/.bin to PATH)`;
}

function spawnProblem(code: string, binary: string, message: string): string {
  if (code === 'ENOENT') return binary.includes('/') ? 'no such file' : 'command not found in PATH';
  if (code === 'EACCES') return 'permission denied (not executable?)';
  if (code === 'ENOTDIR') return 'a path component is not a folder';
  if (code === 'EISDIR') return 'it is a folder, not a program';
  return message;
}

export function exitText(code: number | null, signal: string | null): string {
  if (signal !== null) return `killed by ${signal}`;
  return `exited with code ${code === null ? 'unknown' : code}`;
}

/** Why an exit failed: before the ready strategy passed (an expected code says nothing more), or an unexpected code. */
function exitedWhy(failure: Extract<Failure, { reason: 'exited' }>): string {
  const { beforeReady, expected, code } = failure;
  if (beforeReady === undefined) return expectedText(expected, code);
  const unexpected = code === null || !expected.includes(code) ? expectedText(expected, code) : '';
  // a clean exit before the server was up: most often one that went to the background
  const hint = code === 0 ? `; ${FOREGROUND}` : '';
  return ` before it was ready (${beforeReady}${hint})${unexpected}`;
}

/** What a service that exits 0 at once most often needs: nginx, redis-server, mosquitto -d, pg_ctl start fork away. */
const FOREGROUND = 'a server must run in the foreground, not daemonize';

function expectedText(expected: number[], code: number | null): string {
  if (code === null || (expected.length === 1 && expected[0] === 0)) return '';
  if (expected.length === 0) return ' (its exitCodes are [], so every exit is a failure)';
  return ` (expected ${expected.join(', ')})`;
}

function lastLine(lines: readonly string[]): string {
  const last = lines.at(-1);
  return last === undefined ? '' : `; last output: ${last}`;
}

function outputBlock(lines: readonly string[]): string {
  const last = lines.slice(-LAST_LINES);
  if (last.length === 0) return '; no output';
  if (last.length === 1) return `; last output: ${last[0] ?? ''}`;
  return `; last output:\n${last.map((line) => `  │ ${line}`).join('\n')}`;
}

const SIGNAL_NUMBERS: Readonly<Record<string, number | undefined>> = constants.signals;

/** The shell convention for an exit status: the code, or 128 + the signal's number. */
export function exitStatus(code: number | null, signal: string | null): number {
  if (code !== null) return code;
  const number = signal === null ? undefined : SIGNAL_NUMBERS[signal];
  return number === undefined ? 1 : 128 + number;
}
