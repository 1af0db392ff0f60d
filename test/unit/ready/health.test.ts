import { afterEach, describe, expect, it } from 'vitest';
import { startHealth } from '../../../src/ready/index.js';
import type { HealthReport, HealthSpec } from '../../../src/ready/types.js';
import { makeHealthRun, until } from '../../fixtures/ready/run.js';


const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

function start(spec: HealthSpec, reports: HealthReport[]): void {
  const handle = startHealth(spec, makeHealthRun(), (report) => reports.push(report));
  stops.push(() => handle.stop());
}

describe('health probes', () => {
  it('turns unhealthy after `retries` failures in a row, and a success resets the count', async () => {
    const answers = [true, false, false, false, true];
    const reports: HealthReport[] = [];
    start(
      {
        check: { kind: 'function', label: 'scripted', fn: () => answers.shift() ?? true },
        intervalMs: 10,
        timeoutMs: 500,
        retries: 2,
        startPeriodMs: 0,
      },
      reports,
    );
    await until(() => reports.length >= 5, 3000, 'five reports');
    expect(reports.slice(0, 5).map((r) => [r.healthy, r.failures, r.unhealthy])).toEqual([
      [true, 0, false],
      [false, 1, false],
      [false, 2, true],
      [false, 3, true],
      [true, 0, false],
    ]);
    expect(reports[1]?.message).toBe('function scripted returned false');
  });

  it('fails a check that outlives its timeout, and never runs two checks at once', async () => {
    let running = 0;
    let maxRunning = 0;
    const reports: HealthReport[] = [];
    start(
      {
        check: {
          kind: 'function',
          label: 'slow',
          fn: async (ctx) => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
            running--;
            return true;
          },
        },
        intervalMs: 5,
        timeoutMs: 40,
        retries: 3,
        startPeriodMs: 0,
      },
      reports,
    );
    await until(() => reports.length >= 3, 3000, 'three reports');
    expect(reports[2]).toEqual({ healthy: false, failures: 3, message: 'check timed out after 40ms', unhealthy: true });
    expect(maxRunning).toBe(1);
  });

  it('waits for the start period and stops cleanly', async () => {
    let calls = 0;
    const reports: HealthReport[] = [];
    const started = Date.now();
    const handle = startHealth(
      { check: { kind: 'function', label: 'count', fn: () => (++calls, true) }, intervalMs: 10, timeoutMs: 100, retries: 1, startPeriodMs: 80 },
      makeHealthRun(),
      (report) => reports.push(report),
    );
    await until(() => reports.length >= 1, 3000, 'a report');
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    handle.stop();
    const seen = calls;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(seen);
  });
});
