import { describe, expect, it } from 'vitest';
import type { HealthSpec } from '../../../src/core/model.js';
import type { ReadySpec } from '../../../src/core/ready-spec.js';
import { isAlive } from '../../helpers/procs.js';
import { dep, eventually, freePort, harness, logReady, node, stack, task } from './helpers.js';

const make = harness();

const httpCheck = (port: number): ReadySpec => ({
  kind: 'http',
  url: `http://127.0.0.1:${port}/`,
  status: 200,
  method: 'GET',
  headers: {},
  timeout: '200ms',
});

const server = (port: number, ignoreTerm: boolean): string[] =>
  node(
    (ignoreTerm ? "process.on('SIGTERM', () => {});" : '') +
      `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1');`,
  );

describe('health-driven restarts', () => {
  it.each([
    { ignoreTerm: false, exitSignal: 'SIGTERM', how: 'SIGTERM then SIGCONT' },
    { ignoreTerm: true, exitSignal: 'SIGKILL', how: 'SIGKILL at the stop timeout' },
  ])('restarts a SIGSTOPped http server after `retries` failed checks, stopping it by $how', async ({ ignoreTerm, exitSignal }) => {
    const port = await freePort();
    const health: HealthSpec = { check: httpCheck(port), intervalMs: 100, timeoutMs: 200, retries: 2, startPeriodMs: 0 };
    const { sup, rec } = make(
      stack((dir) => [
        task('web', server(port, ignoreTerm), { ready: httpCheck(port), health, stop: { timeoutMs: 400 } }, dir),
      ]),
    );
    await sup.up();
    await rec.waitFor('task-health', (e) => e.healthy);
    const old = sup.status()[0]!.pid!;
    process.kill(old, 'SIGSTOP');
    const stopping = await rec.state('web', 'stopping');
    expect(stopping.failure).toMatchObject({ reason: 'unhealthy', failures: 2, strategy: `http:http://127.0.0.1:${port}/` });
    const unhealthy = rec.of('task-health', 'web').filter((e) => !e.healthy);
    expect(unhealthy.map((e) => e.failures)).toEqual([1, 2]);
    const exit = await rec.waitFor('task-exit', (e) => e.task === 'web');
    expect(exit).toMatchObject({ pid: old, signal: exitSignal });
    if (ignoreTerm) expect(exit.at - stopping.at).toBeGreaterThanOrEqual(350);
    else expect(exit.at - stopping.at).toBeLessThan(350);
    await rec.waitFor('task-ready', (e) => e.task === 'web' && rec.of('task-ready', 'web').length === 2);
    const now = sup.status()[0]!;
    expect(now).toMatchObject({ state: 'ready', restarts: 1 });
    expect(now.pid).not.toBe(old);
    expect(isAlive(old)).toBe(false);
    expect(rec.states('web')).toEqual(['pending', 'starting', 'ready', 'stopping', 'backoff', 'starting', 'ready']);
  });
});

describe('health events', () => {
  it('emits task-health when the health changes, not on every probe', async () => {
    let calls = 0;
    let healthy = true;
    const check: ReadySpec = { kind: 'function', fn: () => (calls++, healthy), label: 'flip' };
    const health: HealthSpec = { check, intervalMs: 20, timeoutMs: 500, retries: 100, startPeriodMs: 0 };
    const { sup, rec } = make(stack((dir) => [task('api', ['sleep', '62'], { health }, dir)]));
    await sup.up();
    await rec.waitFor('task-health');
    const seen = (): [boolean, number][] => rec.of('task-health', 'api').map((e) => [e.healthy, e.failures]);
    const probes = calls;
    expect(await eventually(() => calls >= probes + 5)).toBe(true);
    expect(seen()).toEqual([[true, 0]]);
    healthy = false;
    await rec.waitFor('task-health', (e) => e.failures === 2);
    healthy = true;
    await rec.waitFor('task-health', (e) => e.healthy && rec.of('task-health', 'api').length > 1);
    const after = calls;
    expect(await eventually(() => calls >= after + 5)).toBe(true);
    expect(seen()).toEqual([
      [true, 0],
      [false, 1],
      [false, 2],
      [true, 0],
    ]);
  });
  it('reports no health for a task that no longer runs (compose shows none for a stopped container)', async () => {
    const check: ReadySpec = { kind: 'function', fn: () => true, label: 'ok' };
    const health: HealthSpec = { check, intervalMs: 20, timeoutMs: 500, retries: 2, startPeriodMs: 0 };
    const { sup, rec } = make(stack((dir) => [task('api', ['sleep', '63'], { health }, dir)]));
    await sup.up();
    await rec.waitFor('task-health', (e) => e.healthy);
    expect(sup.status()[0]).toMatchObject({ state: 'ready', health: 'healthy' });
    const pid = sup.status()[0]!.pid!;
    await sup.stop(['api']);
    expect(sup.status()[0]).toMatchObject({ state: 'stopped', health: null });
    expect(isAlive(pid)).toBe(false);
  });
});

describe('restart propagation', () => {
  it('restarts a `restart: true` dependent after its dependency restarted and is ready again; a plain dependent stays', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('db', 'sleep 0.05; echo accepting; exec sleep 60', { ready: logReady(/accepting/) }, dir),
        task('api', ['sleep', '61'], { dependsOn: [dep('db', 'ready', true)] }, dir),
        task('worker', ['sleep', '62'], { dependsOn: [dep('db')] }, dir),
      ]),
    );
    await sup.up();
    const [, api, worker] = sup.status();
    await sup.kill(['db']);
    const apiAgain = await rec.waitFor('task-spawn', (e) => e.task === 'api' && e.attempt === 2);
    const dbReadyAgain = rec.of('task-ready', 'db')[1]!;
    expect(apiAgain.at).toBeGreaterThanOrEqual(dbReadyAgain.at);
    expect(rec.of('task-exit', 'api')[0]!.at).toBeLessThanOrEqual(dbReadyAgain.at);
    await rec.state('api', 'ready');
    expect(isAlive(api!.pid!)).toBe(false);
    expect(sup.status()[2]!.pid).toBe(worker!.pid);
    expect(rec.of('task-spawn', 'worker')).toHaveLength(1);
    expect(rec.states('api')).toEqual(['pending', 'starting', 'ready', 'stopping', 'stopped', 'pending', 'starting', 'ready']);
  });

  it('follows a manual restart of the dependency too', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('db', ['sleep', '60'], {}, dir),
        task('api', ['sleep', '61'], { dependsOn: [dep('db', 'ready', true)] }, dir),
      ]),
    );
    await sup.up();
    expect(await sup.restart(['db'])).toEqual({ ok: true, value: ['db'] });
    await rec.waitFor('task-spawn', (e) => e.task === 'api' && e.attempt === 2);
    await rec.state('api', 'ready');
    expect(sup.status().map((s) => s.state)).toEqual(['ready', 'ready']);
  });

  it('does not start a dependent again that was stopped by request while following', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('db', ['sleep', '60'], {}, dir),
        task('api', 'trap "sleep 0.2; exit 0" TERM; sleep 61 & wait', { dependsOn: [dep('db', 'ready', true)] }, dir),
      ]),
    );
    await sup.up();
    await sup.kill(['db']);
    await rec.state('api', 'stopping');
    expect(await sup.stop(['api'])).toEqual({ ok: true, value: ['api'] });
    await rec.waitFor('task-ready', (e) => e.task === 'db' && rec.of('task-ready', 'db').length === 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(rec.of('task-spawn', 'api')).toHaveLength(1);
    expect(sup.status()[1]!.state).toBe('stopped');
  });

  it('runs a completed `restart: true` oneshot again once its dependency is ready again; a failed one stays failed', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('db', 'sleep 0.05; echo accepting; exec sleep 60', { ready: logReady(/accepting/) }, dir),
        task('migrate', 'echo migrating', { oneshot: true, dependsOn: [dep('db', 'ready', true)] }, dir),
        task('broken', 'exit 3', { oneshot: true, dependsOn: [dep('db', 'ready', true)] }, dir),
      ]),
    );
    await sup.up();
    expect(sup.status().map((s) => s.state)).toEqual(['ready', 'completed', 'failed']);
    expect(await sup.restart(['db'])).toEqual({ ok: true, value: ['db'] });
    const again = await rec.waitFor('task-spawn', (e) => e.task === 'migrate' && e.attempt === 2);
    expect(again.at).toBeGreaterThanOrEqual(rec.of('task-ready', 'db')[1]!.at);
    await rec.waitFor('task-state', () => rec.states('migrate').filter((state) => state === 'completed').length === 2);
    const printed = (): string[] => rec.of('task-output', 'migrate').flatMap((e) => e.lines);
    await rec.waitFor('task-output', () => printed().length === 2);
    expect(printed()).toEqual(['migrating', 'migrating']);
    expect(rec.of('task-spawn', 'broken')).toHaveLength(1);
    expect(sup.status().map((s) => s.state)).toEqual(['ready', 'completed', 'failed']);
  });
});
