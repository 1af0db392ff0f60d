import { describe, expect, it } from 'vitest';
import type { Failure } from '../../../src/core/failure.js';
import { describeFailure, formatFailure } from '../../../src/core/failure-text.js';

const cases: [Failure, string][] = [
  [
    { reason: 'spawn-error', task: 'api', code: 'ENOENT', binary: 'nodee', message: 'spawn nodee ENOENT' },
    'api: cannot start "nodee": command not found in PATH (ENOENT)',
  ],
  [
    { reason: 'spawn-error', task: 'api', code: 'EACCES', binary: './run.sh', message: 'spawn EACCES' },
    'api: cannot start "./run.sh": permission denied (not executable?) (EACCES)',
  ],
  [
    { reason: 'ready-timeout', task: 'db', strategy: 'tcp:5432', timeoutMs: 5000, lastLines: ['starting postgres'] },
    'db: not ready after 5.0s (tcp:5432); last output: starting postgres',
  ],
  [
    { reason: 'ready-timeout', task: 'db', strategy: 'tcp:5432', timeoutMs: 5000, lastLines: [] },
    'db: not ready after 5.0s (tcp:5432); no output',
  ],
  [
    { reason: 'ready-error', task: 'api', strategy: 'http:http://x/health', message: 'ECONNRESET', lastLines: ['a', 'b'] },
    'api: readiness check http:http://x/health failed: ECONNRESET; last output:\n  │ a\n  │ b',
  ],
  [
    { reason: 'exited', task: 'worker', code: 1, signal: null, expected: [0], lastLines: ['boom'] },
    'worker: exited with code 1; last output: boom',
  ],
  [
    { reason: 'exited', task: 'worker', code: 1, signal: null, expected: [0, 3], lastLines: [] },
    'worker: exited with code 1 (expected 0, 3); no output',
  ],
  [
    { reason: 'exited', task: 'db', code: 0, signal: null, expected: [0], lastLines: ['config error'], beforeReady: 'tcp:5432' },
    'db: exited with code 0 before it was ready (tcp:5432; a server must run in the foreground, not daemonize); last output: config error',
  ],
  [
    { reason: 'exited', task: 'db', code: 1, signal: null, expected: [0, 3], lastLines: [], beforeReady: 'tcp:5432' },
    'db: exited with code 1 before it was ready (tcp:5432) (expected 0, 3); no output',
  ],
  [
    { reason: 'exited', task: 'worker', code: null, signal: 'SIGKILL', expected: [0], lastLines: [] },
    'worker: killed by SIGKILL; no output',
  ],
  [
    { reason: 'too-quick', task: 'api', uptimeMs: 120, minUptimeMs: 1000, code: 1, signal: null },
    'api: exited with code 1 after 120ms, before its minUptime of 1.0s (a failed start)',
  ],
  [
    { reason: 'too-quick', task: 'setup', uptimeMs: 2, minUptimeMs: 1000, code: 0, signal: null },
    'setup: exited with code 0 after 2ms, before its minUptime of 1.0s (a failed start; a task meant to finish is `oneshot: true`; a server must run in the foreground, not daemonize)',
  ],
  [
    {
      reason: 'max-restarts',
      task: 'api',
      restarts: 3,
      last: { reason: 'exited', task: 'api', code: 2, signal: null, expected: [0], lastLines: [] },
    },
    'api: gave up after 3 restarts; last: exited with code 2; no output',
  ],
  [
    { reason: 'unhealthy', task: 'api', strategy: 'http:http://x', failures: 3, message: 'status 500' },
    'api: unhealthy after 3 failed checks (http:http://x): status 500',
  ],
  [{ reason: 'dependency-failed', task: 'api', dependency: 'db' }, 'api: not started because db failed'],
  [{ reason: 'dependency-stopped', task: 'api', dependency: 'db' }, 'api: not started because db was stopped'],
  [
    { reason: 'dependency-stopped', task: 'web', dependency: 'api', how: 'blocked', root: 'db' },
    'web: not started because api is blocked (db was stopped)',
  ],
  [
    { reason: 'spawn-error', task: 'api', code: 'EISDIR', binary: './bin', message: 'x' },
    'api: cannot start "./bin": it is a folder, not a program (EISDIR)',
  ],
  [
    { reason: 'exited', task: 'api', code: 0, signal: null, expected: [], lastLines: [] },
    'api: exited with code 0 (its exitCodes are [], so every exit is a failure); no output',
  ],
  [
    { reason: 'dependency-failed', task: 'web', dependency: 'db', how: 'blocked', root: 'db-init' },
    'web: not started because db is blocked (db-init failed)',
  ],
  [
    { reason: 'dependency-failed', task: 'api', dependency: 'db', how: 'stopped' },
    "api: stopped because db failed (its onFailure is 'stop-dependents')",
  ],
  [{ reason: 'hook-error', task: 'api', hook: 'preStart', message: 'nope' }, 'api: preStart hook failed: nope'],
  [{ reason: 'no-match', patterns: ['x*'], known: ['api', 'db'] }, 'no task matches "x*"; tasks: api, db'],
  [{ reason: 'no-match', patterns: ['all'], known: ['api', 'db'] }, `no task matches "all"; tasks: api, db; every task is '*'`],
  [
    { reason: 'no-match', patterns: ['/[/', '@nope'], known: ['api', 'db'], invalid: [{ pattern: '/[/', why: 'Unterminated character class' }], tags: ['store'] },
    '"/[/" is not a valid pattern: Unterminated character class; no task matches "@nope"; tags: @store; tasks: api, db',
  ],
  [
    { reason: 'unknown-task', task: 'apo', known: ['api', 'db'] },
    'unknown task "apo" — did you mean "api"?; tasks: api, db',
  ],
  [
    { reason: 'not-supported', task: 'api', option: 'user', message: 'running as another user needs ignite to run as root' },
    'api: running as another user needs ignite to run as root',
  ],
  [
    { reason: 'spawn-error', task: 'api', code: 'ENOENT', binary: 'ls', message: 'x', cwd: '/srv/missing' },
    'api: cannot start "ls": its working directory /srv/missing does not exist',
  ],
  [{ reason: 'internal', message: 'oops' }, 'internal error — please report: oops'],
];

describe('formatFailure', () => {
  it.each(cases)('explains %j', (failure, text) => {
    expect(formatFailure(failure)).toBe(text);
  });

  it('covers every failure reason', () => {
    const reasons = new Set(cases.map(([f]) => f.reason));
    expect(reasons.size).toBe(14);
  });

  it('keeps only the last five output lines', () => {
    const text = formatFailure({ reason: 'exited', task: 'w', code: 1, signal: null, expected: [0], lastLines: ['1', '2', '3', '4', '5', '6'] });
    expect(text.split('\n').slice(1)).toEqual(['  │ 2', '  │ 3', '  │ 4', '  │ 5', '  │ 6']);
  });

  it('keeps to one line ending with the last output line for status rows, through gave-up failures too', () => {
    const exited: Failure = { reason: 'exited', task: 'db', code: 3, signal: null, expected: [0], lastLines: ['starting', 'FATAL: data dir corrupt'] };
    expect(describeFailure(exited, { output: 'last' })).toBe('exited with code 3; last output: FATAL: data dir corrupt');
    expect(describeFailure({ reason: 'max-restarts', task: 'db', restarts: 2, last: exited }, { output: 'last' })).toBe(
      'gave up after 2 restarts; last: exited with code 3; last output: FATAL: data dir corrupt',
    );
    expect(describeFailure({ ...exited, lastLines: [] }, { output: 'last' })).toBe('exited with code 3');
  });
});
