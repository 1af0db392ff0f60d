import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleGroup } from '../../../src/supervisor/process/stats.js';
import { dep, eventually, harness, leftovers, stack, task } from './fixtures.js';

const make = harness();

describe('stopping', () => {
  it('SIGKILLs a TERM-ignoring task and its grandchildren at the stop timeout', async () => {
    const { sup, rec } = make(
      stack((dir) => [task('stubborn', 'trap "" TERM; sleep 321 & sleep 322 & wait', { stop: { timeoutMs: 500 } }, dir)]),
    );
    await sup.up();
    const pid = sup.status()[0]!.pid!;
    expect(await eventually(() => leftovers('sleep 32').length === 2)).toBe(true);
    const started = Date.now();
    expect(await sup.stop(['stubborn'])).toEqual({ ok: true, value: ['stubborn'] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(rec.of('task-exit', 'stubborn')[0]).toMatchObject({ signal: 'SIGKILL', code: null });
    expect(leftovers('sleep 32')).toEqual([]);
    expect(sampleGroup(pid)).toBeUndefined();
    expect(sup.status()[0]).toMatchObject({ state: 'stopped', pid: null });
  });

  it('stops dependents before their dependencies on down', async () => {
    const slowExit = 'trap "sleep 0.1; exit 0" TERM; sleep 330 & wait';
    const { sup, rec } = make(
      stack((dir) => [
        task('db', slowExit, {}, dir),
        task('api', slowExit, { dependsOn: [dep('db')] }, dir),
        task('web', slowExit, { dependsOn: [dep('api')] }, dir),
      ]),
    );
    await sup.up();
    await sup.down();
    const exits = rec.of('task-exit').map((e) => e.task);
    expect(exits).toEqual(['web', 'api', 'db']);
    const stoppingDb = rec.of('task-state', 'db').find((e) => e.state === 'stopping')!;
    expect(stoppingDb.at).toBeGreaterThanOrEqual(rec.of('task-exit', 'api')[0]!.at);
    expect(sup.status().map((s) => s.state)).toEqual(['stopped', 'stopped', 'stopped']);
  });

  it('kills what is left of the group when the leader exits on its own', async () => {
    const { sup, rec } = make(
      stack((dir) => [task('leaky', 'sleep 341 & sleep 0.2; exit 0', { restart: { policy: 'never' } }, dir)]),
    );
    await sup.up();
    await rec.state('leaky', 'completed');
    expect(leftovers('sleep 341')).toEqual([]);
  });

  it('runs the stop command instead of sending a signal', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('svc', "echo $$ > svc.pid; trap 'kill $!; exit 0' USR1; sleep 350 & wait", {
          stop: { command: { kind: 'shell', script: 'kill -USR1 "$(cat svc.pid)"' }, timeoutMs: 5000 },
        }, dir),
      ]),
    );
    await sup.up();
    await eventually(() => leftovers('sleep 350').length === 1);
    const started = Date.now();
    await sup.stop(['svc']);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(rec.of('task-exit', 'svc')[0]).toMatchObject({ code: 0, signal: null });
  });

  it("puts the stop command's output in the task's output and log file", async () => {
    let logFile = '';
    const { sup, rec } = make(
      stack((dir) => {
        logFile = join(dir, 'logs', 'svc.log');
        return [
          task('svc', "echo $$ > svc.pid; trap 'kill $!; exit 0' USR1; sleep 351 & wait", {
            stop: { command: { kind: 'shell', script: 'echo flushing caches; echo no cache dir >&2; kill -USR1 "$(cat svc.pid)"' }, timeoutMs: 5000 },
          }, dir),
        ];
      }),
    );
    await sup.up();
    await eventually(() => leftovers('sleep 351').length === 1);
    await sup.stop(['svc']);
    await rec.waitFor('task-output', (e) => e.lines.includes('flushing caches') && e.stream === 'stdout');
    await rec.waitFor('task-output', (e) => e.lines.includes('no cache dir') && e.stream === 'stderr');
    // the file is opened with the first line written to it: the stop command's
    const logged = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
    expect(await eventually(() => logged().includes('flushing caches\n') && logged().includes('no cache dir\n'))).toBe(true);
  });

  it('escalates a graceful down when down is called again with force', async () => {
    const { sup } = make(
      stack((dir) => [task('stubborn', 'trap "" TERM; sleep 361 & wait', { stop: { timeoutMs: 20_000 } }, dir)]),
    );
    await sup.up();
    const started = Date.now();
    const graceful = sup.down();
    await sup.down({ force: true });
    await graceful;
    expect(Date.now() - started).toBeLessThan(3000);
    expect(leftovers('sleep 361')).toEqual([]);
  });

  it('forwards signals rewritten by the task\'s signals map', async () => {
    const { sup, rec } = make(
      stack((dir) => [task('svc', 'trap "echo got-usr1" USR1; echo up; while :; do sleep 0.05; done', { signals: { SIGHUP: 'SIGUSR1' } }, dir)]),
    );
    await sup.up();
    await rec.waitFor('task-output', (e) => e.lines.includes('up'));
    sup.signalAll('SIGHUP');
    await rec.waitFor('task-output', (e) => e.lines.includes('got-usr1'));
    expect(sup.status()[0]?.state).toBe('ready');
  });

  it('never spawns after a stop during startDelay is acknowledged', async () => {
    const { sup, rec } = make(stack((dir) => [task('late', ['sleep', '30'], { startDelayMs: 300 }, dir)]));
    void sup.up();
    await rec.state('late', 'pending');
    await sup.stop(['late']);
    expect(sup.status()[0]?.state).toBe('stopped');
    await expect(rec.waitFor('task-spawn', () => true, 600)).rejects.toThrow(/timed out/);
  });
});
