import type { ReadySpec } from '../../../src/core/ready-spec.js';
import { describe, expect, it } from 'vitest';
import { sampleGroup } from '../../../src/supervisor/process/stats.js';
import { isAlive } from '../../helpers/procs.js';
import { freePort } from '../../helpers/net.js';
import { dep, eventually, harness, logReady, stack, task } from './fixtures.js';

const make = harness();

describe('restart policies', () => {
  it('backs off with gaps growing by the factor, then fails after maxRestarts', async () => {
    const { sup, rec } = make(
      stack((dir) => [task('crash', 'exit 1', { restart: { backoffMs: 50, factor: 2, maxRestarts: 3 } }, dir)]),
    );
    void sup.up();
    await rec.state('crash', 'failed');
    expect(rec.of('task-restart', 'crash').map((e) => e.delayMs)).toEqual([50, 100, 200]);
    const spawns = rec.of('task-spawn', 'crash').map((e) => e.at);
    expect(spawns).toHaveLength(4);
    const gaps = spawns.slice(1).map((at, i) => at - spawns[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(50);
    expect(gaps[1]).toBeGreaterThanOrEqual(100);
    expect(gaps[2]).toBeGreaterThanOrEqual(200);
    expect(gaps[2]! - gaps[1]!).toBeGreaterThan(gaps[1]! - gaps[0]!);
    const failed = rec.of('task-state', 'crash').at(-1);
    expect(failed).toMatchObject({ state: 'failed', failure: { reason: 'max-restarts', restarts: 3, last: { reason: 'exited', code: 1 } } });
    expect(sup.status()[0]).toMatchObject({ state: 'failed', restarts: 3, exitCode: 1 });
  });

  it('counts an exit before minUptime as a failed start, even with an expected code', async () => {
    const { sup, rec } = make(
      stack((dir) => [task('flap', 'exit 0', { restart: { minUptimeMs: 2000, maxRestarts: 1, backoffMs: 20 } }, dir)]),
    );
    void sup.up();
    await rec.state('flap', 'failed');
    const states = rec.of('task-state', 'flap');
    expect(states.find((e) => e.state === 'backoff')?.failure).toMatchObject({ reason: 'too-quick', minUptimeMs: 2000, code: 0 });
    expect(states.at(-1)).toMatchObject({ state: 'failed', failure: { reason: 'max-restarts', last: { reason: 'too-quick' } } });
  });

  it('never counts a oneshot that exits with an expected code as too quick', async () => {
    const { sup } = make(stack((dir) => [task('job', 'exit 0', { oneshot: true, restart: { minUptimeMs: 5000 } }, dir)]));
    const result = await sup.up();
    expect(result.ok && result.value.started).toEqual(['job']);
    expect(sup.status()[0]).toMatchObject({ state: 'completed', exitCode: 0 });
  });

  it('gives a new pid on restart, and nothing of the old group is left', async () => {
    const { sup, rec } = make(stack((dir) => [task('api', 'sleep 311 & sleep 312; wait', {}, dir)]));
    await sup.up();
    const oldPid = sup.status()[0]!.pid!;
    const result = await sup.restart(['api']);
    expect(result).toEqual({ ok: true, value: ['api'] });
    const row = sup.status()[0]!;
    expect(row.state).toBe('ready');
    expect(row.pid).not.toBe(oldPid);
    expect(row.restarts).toBe(0);
    expect(isAlive(oldPid)).toBe(false);
    expect(sampleGroup(oldPid)).toBeUndefined();
    expect(rec.of('task-spawn', 'api')).toHaveLength(2);
  });

  it('applies the restart policy to an exit caused by kill()', async () => {
    const { sup, rec } = make(stack((dir) => [task('api', ['sleep', '30'], {}, dir)]));
    await sup.up();
    const killed = await sup.kill(['api']);
    expect(killed).toEqual({ ok: true, value: ['api'] });
    const exit = await rec.waitFor('task-exit');
    expect(exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    await rec.waitFor('task-spawn', (e) => e.attempt === 2);
    await rec.state('api', 'ready');
    expect(rec.of('task-state', 'api').find((e) => e.state === 'backoff')?.failure).toMatchObject({ reason: 'exited', signal: 'SIGTERM', code: null });
  });

  it('says why a polled check still failed at the deadline, and keeps the output read by the exit', async () => {
    const port = await freePort();
    const { sup, rec } = make(
      stack((dir) => [
        task('db', ['sleep', '315'], { ready: { kind: 'tcp', host: '127.0.0.1', port }, readyTimeoutMs: 300, restart: { policy: 'never' } }, dir),
        task('early', 'echo hi; exec sleep 316', { ready: { kind: 'function', fn: () => Promise.reject(new Error('no')), label: 'boom' }, restart: { policy: 'never' } }, dir),
      ]),
    );
    await sup.up();
    expect(rec.of('task-state', 'db').at(-1)?.failure).toMatchObject({ reason: 'ready-timeout', lastCheck: `cannot connect to 127.0.0.1:${port}: ECONNREFUSED` });
    expect(sup.status(['db'])[0]?.message).toBe(`not ready after 300ms (tcp:127.0.0.1:${port}; last check: cannot connect to 127.0.0.1:${port}: ECONNREFUSED)`);
    expect(rec.of('task-state', 'early').at(-1)?.failure).toMatchObject({ reason: 'ready-error', lastLines: ['hi'] });
  });

  it('says under all() and any() which checks still failed at the deadline and why, and which passed', async () => {
    const [tcp, http, other] = [await freePort(), await freePort(), await freePort()];
    const ready: ReadySpec = {
      kind: 'all',
      strategies: [
        { kind: 'log', pattern: /hi/, stream: 'both' },
        { kind: 'tcp', host: '127.0.0.1', port: tcp },
        { kind: 'http', url: `http://127.0.0.1:${http}/`, status: undefined, method: 'GET', headers: {}, timeout: undefined },
        { kind: 'any', strategies: [{ kind: 'file', path: 'nope' }, { kind: 'tcp', host: '127.0.0.1', port: other }] },
      ],
    };
    const { sup, rec } = make(stack((dir) => [task('db', 'echo hi; exec sleep 317', { ready, readyTimeoutMs: 400, restart: { policy: 'never' } }, dir)]));
    await sup.up();
    const refused = (port: number): string => `cannot connect to 127.0.0.1:${port}: ECONNREFUSED`;
    expect(rec.of('task-state', 'db').at(-1)?.failure).toMatchObject({
      reason: 'ready-timeout',
      lastCheck:
        `tcp:127.0.0.1:${tcp}: ${refused(tcp)}; http:http://127.0.0.1:${http}/: GET http://127.0.0.1:${http}/ failed: ECONNREFUSED; ` +
        `any(file:nope, tcp:127.0.0.1:${other}): [file:nope: still waiting; tcp:127.0.0.1:${other}: ${refused(other)}]; passed: log:/hi/`,
    });
  });

  it('names the stream of a one-stream log check, and says what a ready pipe received', async () => {
    const never = { policy: 'never' as const };
    const { sup, rec } = make(
      stack((dir) => [
        task('api', 'echo ready >&2; exec sleep 318', { ready: { kind: 'log', pattern: /ready/, stream: 'stdout' }, readyTimeoutMs: 400, restart: never }, dir),
        task('web', 'echo starting > "$IGNITE_READY_PIPE"; exec sleep 319', { ready: { kind: 'pipe' }, readyTimeoutMs: 400, restart: never }, dir),
      ]),
    );
    await sup.up();
    expect(rec.of('task-waiting', 'api').map((e) => e.on)).toEqual(['log:stdout:/ready/']);
    expect(rec.of('task-state', 'api').at(-1)?.failure).toMatchObject({
      reason: 'ready-timeout',
      strategy: 'log:stdout:/ready/',
      lastCheck: 'a line on stderr matched, but only stdout counts: ready',
    });
    expect(sup.status(['web'])[0]?.message).toBe('not ready after 400ms (pipe; last check: received "starting", not "ready")');
  });

  it('fails the attempt when readiness times out, and stops its group', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('mute', 'sleep 313 & exec sleep 314', { ready: logReady(/never/), readyTimeoutMs: 300, restart: { policy: 'never' } }, dir),
      ]),
    );
    const result = await sup.up();
    expect(result.ok && result.value.failed).toEqual(['mute']);
    expect(rec.of('task-state', 'mute').at(-1)?.failure).toMatchObject({ reason: 'ready-timeout', timeoutMs: 300 });
    expect(rec.states('mute')).toEqual(['pending', 'starting', 'stopping', 'failed']);
    expect(await eventually(() => sup.status()[0]?.pid === null)).toBe(true);
  });

  it('takes the whole stack down when a task with onFailure "shutdown" gives up', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('web', ['sleep', '30'], {}, dir),
        task('core', 'sleep 0.3; exit 2', { onFailure: 'shutdown', restart: { policy: 'never' } }, dir),
      ]),
    );
    await sup.up();
    expect(await sup.finished()).toBe(1);
    expect(sup.status().map((s) => s.state)).toEqual(['stopped', 'failed']);
    expect(rec.of('stack-state').map((e) => e.state)).toContain('stopped');
  });

  it('stops and blocks the dependents of a task with onFailure "stop-dependents"', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('db', 'sleep 0.3; exit 1', { onFailure: 'stop-dependents', restart: { policy: 'never' } }, dir),
        task('api', ['sleep', '30'], { dependsOn: [dep('db', 'started')] }, dir),
        task('other', ['sleep', '30'], {}, dir),
      ]),
    );
    await sup.up();
    await rec.state('api', 'blocked');
    expect(rec.states('api')).toEqual(['pending', 'starting', 'ready', 'stopping', 'stopped', 'blocked']);
    expect(sup.status(['api'])[0]?.message).toBe("stopped because db failed (its onFailure is 'stop-dependents')");
    expect(sup.status(['other'])[0]?.state).toBe('ready');
  });

  it('blocks a dependent of a "stop-dependents" task that was still waiting as not started', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('db', 'sleep 0.3; exit 1', { onFailure: 'stop-dependents', restart: { policy: 'never' } }, dir),
        // api waits for slow too, so db's failure finds it pending with db's condition met
        task('slow', ['sleep', '320'], { ready: logReady(/never/) }, dir),
        task('api', ['sleep', '30'], { dependsOn: [dep('db', 'started'), dep('slow')] }, dir),
      ]),
    );
    void sup.up(); // it settles only when slow's readiness times out
    await rec.state('api', 'blocked');
    expect(rec.states('api')).toEqual(['pending', 'blocked']);
    expect(sup.status(['api'])[0]?.message).toBe('not started because db failed');
  });

  it('cancels a pending restart when the task is stopped during its backoff', async () => {
    const { sup, rec } = make(stack((dir) => [task('crash', 'exit 1', { restart: { backoffMs: 400 } }, dir)]));
    void sup.up();
    await rec.state('crash', 'backoff');
    await sup.stop(['crash']);
    expect(sup.status()[0]?.state).toBe('stopped');
    await expect(rec.waitFor('task-spawn', (e) => e.attempt === 2, 700)).rejects.toThrow(/timed out/);
  });

  it('resets the counters when a failed task is started by hand', async () => {
    const { sup, rec } = make(stack((dir) => [task('crash', 'exit 1', { restart: { backoffMs: 10, maxRestarts: 2 } }, dir)]));
    void sup.up();
    await rec.state('crash', 'failed');
    expect(sup.status()[0]).toMatchObject({ state: 'failed', restarts: 2 });
    const started = await sup.start(['crash']);
    expect(started).toEqual({ ok: true, value: ['crash'] });
    expect(sup.status()[0]?.restarts).toBe(0);
    await rec.waitFor('task-state', (e) => e.state === 'failed' && rec.of('task-spawn').length === 6);
  });
});

describe('health and hooks', () => {
  it('restarts by policy once the health check failed `retries` times in a row', async () => {
    const check = { kind: 'function' as const, fn: () => false, label: 'never-healthy' };
    const { sup, rec } = make(
      stack((dir) => [
        task('sick', ['sleep', '381'], {
          health: { check, intervalMs: 50, timeoutMs: 200, retries: 2, startPeriodMs: 0 },
          restart: { policy: 'never' },
        }, dir),
      ]),
    );
    await sup.up();
    const failed = await rec.state('sick', 'failed');
    expect(failed.failure).toMatchObject({ reason: 'unhealthy', strategy: 'function:never-healthy' });
    expect(rec.of('task-health', 'sick').some((e) => !e.healthy)).toBe(true);
  });

  it('calls the hooks of the task and of plugins, and a failing preStart fails the attempt', async () => {
    const seen: string[] = [];
    const { sup, rec } = make(
      stack(
        (dir) => [
          task('ok', 'echo hi', {
            oneshot: true,
            hooks: { preStart: (c) => void seen.push(`pre:${c.task}`), onExit: (c) => void seen.push(`exit:${String(c.exitCode)}`) },
          }, dir),
          task('bad', ['sleep', '30'], { restart: { policy: 'never' }, hooks: { preStart: () => { throw new Error('no config'); } } }, dir),
        ],
        { plugins: [{ name: 'p', readyStrategies: {}, hooks: { onReady: (c) => void seen.push(`plugin-ready:${c.task}`) }, statsHandlers: [], controlServers: [] }] },
      ),
    );
    await sup.up();
    await rec.state('ok', 'completed');
    expect(rec.of('task-state', 'bad').at(-1)?.failure).toEqual({ reason: 'hook-error', task: 'bad', hook: 'preStart', message: 'no config' });
    expect(rec.of('task-spawn', 'bad')).toEqual([]);
    expect(seen).toContain('pre:ok');
    expect(seen).toContain('plugin-ready:ok');
    expect(await eventually(() => seen.includes('exit:0'))).toBe(true);
  });
});
