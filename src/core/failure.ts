/**
 * Everything that can go wrong at run time and that a user should read about.
 * Config problems are Diagnostics (diagnostics.ts), not Failures.
 */
export type Failure =
  /**
   * `cwd`: set when the task's working directory, not its binary, is what is missing.
   * `localBin`: a command not in PATH that a `node_modules/.bin` above the task's cwd holds.
   */
  | { reason: 'spawn-error'; task: string; code: string; binary: string; message: string; cwd?: string; localBin?: string }
  /** `lastCheck`: why the check still failed at the deadline (`connect ECONNREFUSED 127.0.0.1:5432`), for polled checks. */
  | { reason: 'ready-timeout'; task: string; strategy: string; timeoutMs: number; lastLines: string[]; lastCheck?: string }
  | { reason: 'ready-error'; task: string; strategy: string; message: string; lastLines: string[] }
  /** `beforeReady`: a service exited before this ready strategy passed, so it never was up (whatever its code). */
  | { reason: 'exited'; task: string; code: number | null; signal: string | null; expected: number[]; lastLines: string[]; beforeReady?: string }
  | { reason: 'too-quick'; task: string; uptimeMs: number; minUptimeMs: number; code: number | null; signal: string | null }
  | { reason: 'max-restarts'; task: string; restarts: number; last: Failure }
  | { reason: 'unhealthy'; task: string; strategy: string; failures: number; message: string }
  /**
   * A dependency gave up: this task never started (`blocked`: the dependency is itself blocked,
   * by `root`), or was stopped by the dependency's `onFailure: 'stop-dependents'` (`stopped`).
   */
  | { reason: 'dependency-failed'; task: string; dependency: string; how?: 'blocked' | 'stopped'; root?: string }
  /**
   * A dependency was stopped on request while this task waited for it, and nothing will start
   * it again (`blocked`: the dependency is itself blocked by `root`, which was stopped).
   */
  | { reason: 'dependency-stopped'; task: string; dependency: string; how?: 'blocked'; root?: string }
  | { reason: 'hook-error'; task: string; hook: string; message: string }
  /** `invalid`: patterns that do not compile, and why; `tags`: the tags there are, when a `@tag` matched nothing. */
  | { reason: 'no-match'; patterns: string[]; known: string[]; invalid?: { pattern: string; why: string }[]; tags?: string[] }
  | { reason: 'unknown-task'; task: string; known: string[] }
  /** A setting this run cannot honour (`message` says why, without the task's name). */
  | { reason: 'not-supported'; task: string; option: string; message: string }
  /** A start, restart or reload that came while a down (`ignite down`, a signal) stops the stack. */
  | { reason: 'shutting-down' }
  | { reason: 'internal'; message: string };

export type FailureReason = Failure['reason'];

/**
 * A readiness failure with the attempt's output as it stood at the exit: a check
 * that fails at once is decided before the task's first lines have been read.
 */
export function withOutputAtExit(failure: Failure, lines: readonly string[]): Failure {
  if (failure.reason !== 'ready-timeout' && failure.reason !== 'ready-error') return failure;
  return lines.length > failure.lastLines.length ? { ...failure, lastLines: [...lines] } : failure;
}
