import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StatsSample } from '../../../src/core/status.js';
import { dep, eventually, harness, has, leftovers, logReady, stack, stampSoon, now, task } from './helpers.js';

const make = harness();

const procStatus = (pid: number, field: string): string | undefined =>
  readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((line) => line.startsWith(`${field}:`))
    ?.split(/\s+/)
    .slice(1)
    .join(' ');

const busy = 'while :; do :; done';

describe('resource statistics', () => {
  it('shows cpu and memory of a busy task in status(), from the first call on', async () => {
    const { sup } = make(stack((dir) => [task('spin', busy, {}, dir), task('idle', ['sleep', '60'], {}, dir)]));
    await sup.up();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [spin, idle] = sup.status();
    expect(spin!.cpu).toBeGreaterThan(10);
    expect(spin!.memory).toBeGreaterThan(0);
    expect(idle!.cpu).toBeLessThan(5);
    expect(idle!.memory).toBeGreaterThan(0);
    const again = sup.status(['spin'])[0]!;
    expect(again.cpu).toBeGreaterThan(10);
  });

  it('hands periodic samples to plugin statsHandlers and emits task-stats', async () => {
    const samples: StatsSample[] = [];
    const { sup, rec } = make(
      stack((dir) => [task('spin', busy, {}, dir)], {
        plugins: [{ name: 'meter', readyStrategies: {}, hooks: {}, statsHandlers: [(s) => void samples.push(s)], controlServers: [] }],
      }),
      { statsIntervalMs: 100 },
    );
    await sup.up();
    const pid = sup.status()[0]!.pid;
    expect(await eventually(() => samples.some((s) => s.cpu > 0))).toBe(true);
    expect(samples[0]).toMatchObject({ task: 'spin', pid, processes: 1 });
    expect(samples[0]!.memory).toBeGreaterThan(0);
    expect(rec.of('task-stats', 'spin').length).toBeGreaterThan(0);
  });

  it('reports a throwing stats handler as a warning and keeps sampling', async () => {
    let calls = 0;
    const { sup, rec } = make(
      stack((dir) => [task('idle', ['sleep', '60'], {}, dir)], {
        plugins: [{ name: 'bad', readyStrategies: {}, hooks: {}, statsHandlers: [() => { calls++; throw new Error('meter broke'); }], controlServers: [] }],
      }),
      { statsIntervalMs: 50 },
    );
    await sup.up();
    expect(await eventually(() => calls >= 3)).toBe(true);
    expect(rec.of('task-warning', 'idle').map((e) => e.message)).toEqual(['stats handler failed: meter broke (said once; it keeps being called)']);
  });

  it('reports an async stats handler that rejects, and the supervisor keeps running', async () => {
    let calls = 0;
    const { sup, rec } = make(
      stack((dir) => [task('idle', ['sleep', '60'], {}, dir)], {
        plugins: [{ name: 'push', readyStrategies: {}, hooks: {}, statsHandlers: [async () => { calls++; await Promise.resolve(); throw new Error('push failed'); }], controlServers: [] }],
      }),
      { statsIntervalMs: 50 },
    );
    await sup.up();
    expect(await eventually(() => calls >= 3)).toBe(true);
    expect(rec.of('task-warning', 'idle').map((e) => e.message)).toEqual(['stats handler failed: push failed (said once; it keeps being called)']);
    expect(sup.status()[0]!.state).toBe('ready');
  });

  it('stops warning about a handler whose message changes at every sample', async () => {
    let calls = 0;
    const { sup, rec } = make(
      stack((dir) => [task('idle', ['sleep', '60'], {}, dir)], {
        plugins: [{ name: 'clock', readyStrategies: {}, hooks: {}, statsHandlers: [() => { calls++; throw new Error(`failed at call ${String(calls)}`); }], controlServers: [] }],
      }),
      { statsIntervalMs: 20 },
    );
    await sup.up();
    expect(await eventually(() => calls >= 15)).toBe(true);
    const said = rec.of('task-warning', 'idle').map((e) => e.message);
    expect(said).toHaveLength(10);
    expect(said[9]).toMatch(/failed at call \d+ \(said once; it keeps being called; its message keeps changing, so no more of these for idle\)$/);
  });
});

describe('stopping with a stop command', () => {
  it('bounds a hanging stop command by the stop timeout, then SIGKILLs the group', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('svc', 'trap "" TERM; sleep 371 & wait', { stop: { command: { kind: 'shell', script: 'sleep 372' }, timeoutMs: 400 } }, dir),
      ]),
    );
    await sup.up();
    expect(await eventually(() => leftovers('sleep 371').length === 1)).toBe(true);
    const started = Date.now();
    await sup.stop(['svc']);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(380);
    expect(took).toBeLessThan(2000);
    expect(rec.of('task-exit', 'svc')[0]).toMatchObject({ signal: 'SIGKILL' });
    expect(leftovers('sleep 37')).toEqual([]);
  });

  it('cuts a hanging stop command short when down is forced', async () => {
    const { sup } = make(
      stack((dir) => [
        task('svc', 'trap "" TERM; sleep 373 & wait', { stop: { command: { kind: 'shell', script: 'sleep 374' }, timeoutMs: 20_000 } }, dir),
      ]),
    );
    await sup.up();
    const graceful = sup.down();
    expect(await eventually(() => leftovers('sleep 374').length === 1)).toBe(true);
    const started = Date.now();
    await sup.down({ force: true });
    await graceful;
    expect(Date.now() - started).toBeLessThan(1500);
    expect(leftovers('sleep 37')).toEqual([]);
  });
});

describe('process options', () => {
  it('rewrites a signal forwarded by signalAll through the task signals map', async () => {
    const spec = stack((dir) => [
      task('svc', 'trap "touch got-hup" HUP; trap "touch got-usr1" USR1; echo armed; while :; do sleep 0.05; done', {
        signals: { SIGHUP: 'SIGUSR1' },
        ready: logReady(/armed/),
      }, dir),
      task('plain', 'trap "touch plain-hup" HUP; echo armed; while :; do sleep 0.05; done', { ready: logReady(/armed/) }, dir),
    ]);
    const { sup } = make(spec);
    await sup.up();
    sup.signalAll('SIGHUP');
    expect(await eventually(() => has(spec.dir, 'got-usr1') && has(spec.dir, 'plain-hup'))).toBe(true);
    expect(has(spec.dir, 'got-hup')).toBe(false);
    expect(sup.status().map((s) => s.state)).toEqual(['ready', 'ready']);
  });

  it('waits startDelay after the dependencies are ready', async () => {
    const spec = stack((dir) => [
      task('db', ['sleep', '60'], {}, dir),
      task('api', `${now('api.at')}; exec sleep 60`, { dependsOn: [dep('db')], startDelayMs: 300 }, dir),
    ]);
    const { sup, rec } = make(spec);
    await sup.up();
    const dbReady = rec.of('task-ready', 'db')[0]!.at;
    expect(await stampSoon(spec.dir, 'api.at')).toBeGreaterThanOrEqual(dbReady + 300);
  });

  it('sets the umask of the task', async () => {
    const spec = stack((dir) => [task('svc', 'umask > umask.out; exec sleep 60', { umask: 0o027 }, dir)]);
    const { sup } = make(spec);
    await sup.up();
    expect(await eventually(() => has(spec.dir, 'umask.out') && readFileSync(join(spec.dir, 'umask.out'), 'utf8') !== '')).toBe(true);
    expect(readFileSync(join(spec.dir, 'umask.out'), 'utf8').trim()).toBe('0027');
  });

  it('pins the task to cpus [0]', async () => {
    const { sup } = make(stack((dir) => [task('svc', ['sleep', '60'], { cpus: [0] }, dir)]));
    await sup.up();
    const pid = sup.status()[0]!.pid!;
    expect(await eventually(() => procStatus(pid, 'Cpus_allowed_list') === '0')).toBe(true);
    expect(readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0')[0]).toMatch(/sleep$/);
  });

  const root = process.getuid?.() === 0;
  it.skipIf(!root)('runs the task as user nobody (needs root: skipped otherwise)', async () => {
    const { sup } = make(stack((dir) => [task('svc', ['sleep', '60'], { user: 'nobody' }, dir)]));
    const up = await sup.up();
    expect(up).toMatchObject({ ok: true, value: { failed: [] } });
    const pid = sup.status()[0]!.pid!;
    const uid = procStatus(pid, 'Uid')!.split(' ');
    expect(uid[0]).toBe('65534');
    // root's groups are gone; nobody's own (nogroup) are set, as `id -G nobody` lists them
    expect(procStatus(pid, 'Groups')?.trim().split(/\s+/).sort()).toEqual(execFileSync('id', ['-G', 'nobody'], { encoding: 'utf8' }).trim().split(' ').sort());
  });
});
