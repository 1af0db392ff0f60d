import { describe, expect, it } from 'vitest';
import type { RestartSpec } from '../../../src/core/model.js';
import { backoffDelay, decide, STEADY_MS, type AttemptEnd } from '../../../src/supervisor/policy.js';

const spec = (overrides: Partial<RestartSpec> = {}): RestartSpec => ({
  policy: 'on-failure',
  backoffMs: 100,
  maxBackoffMs: 30_000,
  factor: 2,
  maxRestarts: 10,
  minUptimeMs: 1000,
  exitCodes: [0],
  ...overrides,
});
const service = (restart: RestartSpec) => ({ name: 'api', oneshot: false, restart });
const oneshot = (restart: RestartSpec) => ({ name: 'job', oneshot: true, restart });
const exit = (code: number | null, uptimeMs = 5000, signal: string | null = null, wasReady = true): AttemptEnd => ({
  kind: 'exit',
  code,
  signal,
  uptimeMs,
  wasReady,
  lastLines: [],
});

describe('restart policy', () => {
  it('grows the backoff by the factor and caps it at maxBackoff', () => {
    const s = spec({ backoffMs: 100, factor: 2, maxBackoffMs: 1000 });
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(s, n))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('keeps a backoff of 0 at 0 after a thousand restarts (factor^streak overflows to Infinity)', () => {
    const s = spec({ backoffMs: 0, factor: 2 });
    expect([0, 1023, 1024, 5000].map((n) => backoffDelay(s, n))).toEqual([0, 0, 0, 0]);
  });

  it('caps an overflowing backoff at maxBackoff', () => {
    expect(backoffDelay(spec({ backoffMs: 100, factor: 2, maxBackoffMs: 30_000 }), 5000)).toBe(30_000);
  });

  it('restarts a crashed service on-failure with the next backoff', () => {
    expect(decide(service(spec()), exit(1), 2)).toMatchObject({ action: 'restart', delayMs: 400, streak: 3, failure: { reason: 'exited', code: 1 } });
  });

  it('does not restart a service that exited with an expected code under on-failure', () => {
    expect(decide(service(spec()), exit(0), 0)).toEqual({ action: 'complete', code: 0 });
  });

  it('restarts an expected exit under always, without a failure', () => {
    expect(decide(service(spec({ policy: 'always' })), exit(0), 0)).toEqual({ action: 'restart', delayMs: 100, streak: 1, failure: undefined });
  });

  it('fails at once under never, and completes on an expected code', () => {
    expect(decide(service(spec({ policy: 'never' })), exit(3), 0)).toMatchObject({ action: 'fail', failure: { reason: 'exited', code: 3 } });
    expect(decide(service(spec({ policy: 'never' })), exit(0, 10), 0)).toEqual({ action: 'complete', code: 0 });
  });

  it('gives up with max-restarts once the streak reaches maxRestarts', () => {
    expect(decide(service(spec({ maxRestarts: 3 })), exit(1), 3)).toMatchObject({
      action: 'fail',
      failure: { reason: 'max-restarts', restarts: 3, last: { reason: 'exited', code: 1 } },
    });
  });

  it('never restarts with maxRestarts 0 and reports the failure itself', () => {
    expect(decide(service(spec({ maxRestarts: 0 })), exit(1), 0)).toMatchObject({ action: 'fail', failure: { reason: 'exited' } });
  });

  it('counts an exit before minUptime as a failed start, even with code 0', () => {
    expect(decide(service(spec()), exit(0, 200), 0)).toMatchObject({
      action: 'restart',
      failure: { reason: 'too-quick', uptimeMs: 200, minUptimeMs: 1000, code: 0 },
    });
  });

  it('never counts a oneshot with an expected code as too quick', () => {
    expect(decide(oneshot(spec()), exit(0, 5), 0)).toEqual({ action: 'complete', code: 0 });
  });

  it('reports a signal exit with a null code', () => {
    expect(decide(service(spec({ policy: 'never' })), exit(null, 5000, 'SIGKILL'), 0)).toMatchObject({
      action: 'fail',
      failure: { reason: 'exited', code: null, signal: 'SIGKILL' },
    });
  });

  it('resets the streak after the task was ready and up steadily', () => {
    const s = spec({ maxRestarts: 3 });
    expect(decide(service(s), exit(1, STEADY_MS), 3)).toMatchObject({ action: 'restart', delayMs: 100, streak: 1 });
    expect(decide(service(s), exit(1, STEADY_MS, null, false), 3)).toMatchObject({ action: 'fail' });
    expect(decide(service(s), exit(1, STEADY_MS - 1), 3)).toMatchObject({ action: 'fail' });
  });

  it('counts a service that exits with an expected code before its ready strategy passed as a failed attempt', () => {
    const db = { ...service(spec()), ready: { kind: 'tcp' as const, host: undefined, port: 5432 } };
    const failure = { reason: 'exited', code: 0, beforeReady: 'tcp:5432' };
    expect(decide(db, exit(0, 5000, null, false), 0)).toMatchObject({ action: 'restart', failure });
    expect(decide({ ...db, restart: spec({ policy: 'never' }) }, exit(0, 5, null, false), 0)).toMatchObject({ action: 'fail', failure });
    expect(decide({ ...db, restart: spec({ policy: 'always' }) }, exit(0, 5000, null, false), 0)).toMatchObject({ action: 'restart', failure });
    expect(decide(db, exit(0, 5000), 0)).toEqual({ action: 'complete', code: 0 });
    expect(decide({ ...db, oneshot: true }, exit(0, 5, null, false), 0)).toEqual({ action: 'complete', code: 0 });
  });

  it('treats an attempt failure (ready timeout, spawn error) like a failed exit', () => {
    const failure = { reason: 'ready-timeout' as const, task: 'api', strategy: 'tcp:5432', timeoutMs: 100, lastLines: [] };
    expect(decide(service(spec()), { kind: 'failure', failure, uptimeMs: 100, wasReady: false }, 0)).toMatchObject({
      action: 'restart',
      failure,
    });
    expect(decide(service(spec({ policy: 'never' })), { kind: 'failure', failure, uptimeMs: 100, wasReady: false }, 0)).toEqual({
      action: 'fail',
      failure,
    });
  });
});
