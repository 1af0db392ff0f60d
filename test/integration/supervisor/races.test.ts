/**
 * Stop/start/restart against every state, crashes racing stops, and down during
 * startup. The invariant: once a stop has resolved, nothing of the task runs and
 * nothing of it is spawned again unless someone asks.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskSpec } from '../../../src/core/model.js';
import type { Supervisor } from '../../../src/supervisor/supervisor.js';
import { dep, eventually, harness, leftovers, logReady, stack, task, type Recorder } from './fixtures.js';

const make = harness();
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** After a stop resolved: stopped, nothing live, and no spawn for `ms` afterwards. */
async function staysStopped(sup: Supervisor, rec: Recorder, name: string, ms = 150): Promise<void> {
  const spawns = rec.of('task-spawn', name).length;
  expect(sup.status([name])[0]).toMatchObject({ state: 'stopped', pid: null });
  await pause(ms);
  expect(rec.of('task-spawn', name)).toHaveLength(spawns);
  expect(sup.status([name])[0]!.state).toBe('stopped');
}

describe('stop in every state', () => {
  it('pending on a dependency: never spawns once the dependency is ready', async () => {
    const { sup, rec } = make(
      stack((dir) => [task('db', ['sleep', '60'], { ready: { kind: 'delay', duration: 150 } }, dir), task('api', ['sleep', '61'], { dependsOn: [dep('db')] }, dir)]),
    );
    const up = sup.up();
    await rec.state('api', 'pending');
    expect(await sup.stop(['api'])).toEqual({ ok: true, value: ['api'] });
    await up;
    await rec.state('db', 'ready');
    await staysStopped(sup, rec, 'api');
    expect(rec.of('task-spawn', 'api')).toEqual([]);
  });

  it('pending in a preStart hook that never returns: the stop resolves at once and nothing is spawned', async () => {
    let signal: AbortSignal | undefined;
    const { sup, rec } = make(
      stack((dir) => [
        task('svc', ['sleep', '60'], {
          hooks: {
            preStart: (ctx) => {
              signal = ctx.signal;
              return new Promise(() => undefined);
            },
          },
        }, dir),
      ]),
    );
    void sup.up();
    expect(await eventually(() => signal !== undefined)).toBe(true);
    const started = Date.now();
    await sup.stop(['svc']);
    expect(Date.now() - started).toBeLessThan(500);
    expect(signal?.aborted).toBe(true);
    await staysStopped(sup, rec, 'svc');
    expect(rec.of('task-spawn')).toEqual([]);
  });

  it('starting (readiness pending): the group is stopped and not restarted', async () => {
    const { sup, rec } = make(stack((dir) => [task('svc', ['sleep', '60'], { ready: logReady(/never/) }, dir)]));
    void sup.up();
    await rec.state('svc', 'starting');
    await sup.stop(['svc']);
    expect(rec.of('task-exit', 'svc')).toHaveLength(1);
    await staysStopped(sup, rec, 'svc');
  });

  it('backoff: the pending restart is cancelled', async () => {
    const { sup, rec } = make(stack((dir) => [task('svc', 'exit 3', { restart: { backoffMs: 200 } }, dir)]));
    void sup.up();
    await rec.state('svc', 'backoff');
    await sup.stop(['svc']);
    await staysStopped(sup, rec, 'svc', 300);
    expect(rec.of('task-spawn', 'svc')).toHaveLength(1);
  });

  it('stopping: a second stop waits for the same end; a start during the stop starts it again afterwards', async () => {
    const { sup, rec } = make(stack((dir) => [task('svc', 'trap "sleep 0.2; exit 0" TERM; sleep 60 & wait', {}, dir)]));
    await sup.up();
    const first = sup.stop(['svc']);
    await rec.state('svc', 'stopping');
    const second = sup.stop(['svc']);
    const start = sup.start(['svc']);
    await Promise.all([first, second]);
    expect(rec.of('task-exit', 'svc')).toHaveLength(1);
    expect(await start).toEqual({ ok: true, value: ['svc'] });
    expect(sup.status()[0]).toMatchObject({ state: 'ready' });
    expect(rec.of('task-spawn', 'svc')).toHaveLength(2);
  });

  it('restart from backoff, starting and failed brings the task up with fresh counters', async () => {
    const { sup, rec } = make(
      stack((dir) => [task('svc', 'test -f ok.flag || { touch ok.flag; exit 1; }; exec sleep 60', { restart: { backoffMs: 5000 } }, dir)]),
    );
    void sup.up();
    await rec.state('svc', 'backoff');
    expect(await sup.restart(['svc'])).toEqual({ ok: true, value: ['svc'] });
    expect(sup.status()[0]).toMatchObject({ state: 'ready', restarts: 0 });
    expect(rec.of('task-spawn', 'svc')).toHaveLength(2);
  });
});

describe('crash racing stop', () => {
  it('never spawns after a stop resolved, over 50 crash-vs-stop rounds', async () => {
    const { sup, rec } = make(
      stack((dir) => [task('c', 'sleep 0.015; exit 1', { autostart: false, restart: { backoffMs: 1, maxRestarts: 1000 } }, dir)]),
    );
    const deadline = Date.now() + 20_000;
    for (let round = 0; round < 50 && Date.now() < deadline; round++) {
      const started = await sup.start(['c']);
      expect(started.ok).toBe(true);
      if (round % 3 === 0) await sup.kill(['c']); // a crash in the same tick as the stop
      else await pause(round % 25);
      const stopped = await sup.stop(['c']);
      expect(stopped).toEqual({ ok: true, value: ['c'] });
      const spawns = rec.of('task-spawn', 'c').length;
      expect(sup.status()[0]).toMatchObject({ state: 'stopped', pid: null });
      expect(leftovers()).toEqual([]);
      await pause(5);
      expect(rec.of('task-spawn', 'c')).toHaveLength(spawns);
    }
    expect(rec.of('task-warning').filter((w) => w.message.startsWith('internal'))).toEqual([]);
  });
});

describe('down during startup', () => {
  it('stops a stack whose startup is half way and nothing starts afterwards', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('db', ['sleep', '60'], { ready: { kind: 'delay', duration: 200 } }, dir),
        task('api', ['sleep', '61'], { dependsOn: [dep('db')] }, dir),
        task('slow', ['sleep', '62'], { startDelayMs: 150 }, dir),
        task('hooked', ['sleep', '63'], { hooks: { preStart: () => pause(150) } }, dir),
      ]),
    );
    const up = sup.up();
    await rec.state('db', 'starting');
    await sup.down();
    const result = await up;
    expect(result.ok).toBe(true);
    const spawned = rec.of('task-spawn').length;
    await pause(300);
    expect(rec.of('task-spawn')).toHaveLength(spawned);
    expect(rec.of('task-spawn', 'api')).toEqual([]);
    expect(sup.status().map((s) => s.state)).toEqual(['stopped', 'stopped', 'stopped', 'stopped']);
    expect(leftovers()).toEqual([]);
  });

  it('a forced second down during a slow graceful one kills everything at once', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('a', 'trap "" TERM; echo armed; sleep 391 & wait', { ready: logReady(/armed/), stop: { timeoutMs: 10_000 } }, dir),
        task('b', 'trap "" TERM; echo armed; sleep 392 & wait', { ready: logReady(/armed/), dependsOn: [dep('a')], stop: { timeoutMs: 10_000 } }, dir),
      ]),
    );
    await sup.up();
    const graceful = sup.down();
    await rec.state('b', 'stopping');
    const started = Date.now();
    await Promise.all([sup.down({ force: true }), graceful]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(rec.of('task-exit').map((e) => e.signal)).toEqual(['SIGKILL', 'SIGKILL']);
    expect(leftovers()).toEqual([]);
  });
});

describe('down racing a start or a reload', () => {
  // `svc` leaves its TERM trap only once the test creates `go`: the stop lasts until the test says
  const held = (name: string, marker: string, dir: string): TaskSpec =>
    task(name, `trap 'while [ ! -e go ]; do sleep 0.02; done; exit 0' TERM; : ${marker}; while :; do sleep 0.05; done`, { stop: { timeoutMs: 8000 } }, dir);
  /** The promise's value, or 'still waiting' after a bounded wait (the bug was a wait for ever). */
  const within = <T>(promise: Promise<T>, ms = 4000): Promise<T | 'still waiting'> => Promise.race([promise, pause(ms).then(() => 'still waiting' as const)]);

  it('a start waiting out a stop when a down begins starts nothing, says so, and the stack ends', async () => {
    const where = stack((dir) => [held('svc', 'v1', dir)]);
    const { sup, rec } = make(where);
    await sup.up();
    const stop = sup.stop(['svc']);
    await rec.state('svc', 'stopping');
    const start = sup.start(['svc']);
    const down = sup.down();
    writeFileSync(join(where.dir, 'go'), '');
    await Promise.all([stop, down]);
    expect(await within(start)).toEqual({ ok: false, error: { reason: 'shutting-down' } });
    expect(sup.status().map((row) => [row.name, row.state])).toEqual([['svc', 'stopped']]);
    expect(await within(sup.finished())).toBe(0);
    expect(rec.of('task-spawn', 'svc')).toHaveLength(1);
  });

  it('a reload stopping a changed task when a down begins starts nothing, says so, and the stack ends', async () => {
    const where = stack((dir) => [held('svc', 'v1', dir), task('other', ['sleep', '64'], {}, dir)]);
    const { sup, rec } = make(where);
    await sup.up();
    const reload = sup.reload({ ...where, tasks: [held('svc', 'v2', where.dir), task('other', ['sleep', '64'], {}, where.dir)].map((t) => ({ ...t, env: where.tasks[0]?.env ?? {} })) });
    await rec.state('svc', 'stopping');
    const down = sup.down();
    writeFileSync(join(where.dir, 'go'), '');
    await down;
    expect(await within(reload)).toEqual({ ok: false, error: { reason: 'shutting-down' } });
    expect(sup.status().map((row) => row.state)).not.toContain('pending');
    expect(await within(sup.finished())).toBe(0);
    expect(rec.of('task-spawn', 'svc')).toHaveLength(1);
  });
});
