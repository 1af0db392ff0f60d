import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { isLive, liveTagged, signal, startTime, useFaults, waitFor, waitGone } from './harness.js';
import { parseEvents } from './lib/json-events.js';

const fault = useFaults();
const sh = (script: string): string[] => ['/bin/sh', '-c', script];

describe('time', () => {
  it.each([
    ['forward', 3_600_000],
    ['backward', -3_600_000],
  ])('keeps a backoff delay when the wall clock jumps %s by an hour', async (_dir, jump) => {
    // Setup: a task crashing once, with a 400 ms backoff.
    const marker = join(fault().dir, 'once');
    const s = fault().supervise({ tasks: [{ name: 'b', command: sh(`[ -e ${marker} ] && exec sleep 1000; touch ${marker}; exit 1`), restart: { backoff: '400ms', minUptime: 0 } }] });
    void s.sup.up();
    await s.waitState('b', 'backoff');
    const t0 = performance.now();
    // Fault: Date.now() jumps by an hour during the backoff.
    const realNow = Date.now.bind(Date);
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + jump);
    try {
      await s.waitEvent('task-spawn', (e) => e.attempt === 2, 5000);
    } finally {
      spy.mockRestore();
    }
    // Expected: the restart comes ~400 ms after the crash, neither at once nor an hour later.
    // Check:
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(waited).toBeLessThan(3000);
    await s.sup.down();
  });
});

describe('identity: a reused pid never receives our signal', () => {
  /** A dead supervisor's state file naming `pid` as a child with the given start time. */
  function writeState(pid: number, start: number): void {
    const dead = spawnSync('true').pid;
    const run = join(fault().dir, '.ignite/run');
    mkdirSync(run, { recursive: true, mode: 0o700 });
    const state = { supervisorPid: dead, supervisorStart: 1, configFile: join(fault().dir, 'ignite.config.mjs'), children: [{ task: 'svc', pid, pgid: pid, startTime: start }] };
    writeFileSync(join(run, 'state.json'), `${JSON.stringify(state)}\n`, { mode: 0o600 });
  }

  function unrelated(): number {
    const child = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore', env: fault().env });
    child.unref();
    return child.pid ?? -1;
  }

  it('leaves alone a process whose pid matches the state file but whose start time differs', async () => {
    // Setup: an unrelated process holding the recorded pid, started at another time.
    fault().writeConfig(`tasks: [{ name: 'svc', command: ['sleep', '1000'] }]`);
    const other = unrelated();
    writeState(other, (startTime(other) ?? 0) + 7);
    // Fault: cleanup of the "dead" stack runs.
    const down = await fault().run(['down']);
    // Expected: the unrelated process survives.
    // Check:
    expect(isLive(other), down.stderr + down.stdout).toBe(true);
    signal(-other, 'SIGKILL');
  });

  it('negative control: with the matching start time the same cleanup does stop it', async () => {
    // Setup: the same, but the start time matches (it really is our orphan).
    fault().writeConfig(`tasks: [{ name: 'svc', command: ['sleep', '1000'] }]`);
    const orphan = unrelated();
    writeState(orphan, startTime(orphan) ?? 0);
    // Fault: cleanup runs.
    await fault().run(['down']);
    // Expected / Check: the orphan is stopped (proves the previous test is meaningful).
    await waitGone(orphan, 5000);
  });
});

describe('scale and resource exhaustion', () => {
  it('starts 200 tasks at once, all ready, and stops them all', async () => {
    // Setup: 200 independent tasks.
    fault().writeConfig(`tasks: Array.from({ length: 200 }, (_, i) => ({ name: 't' + i, command: ['sleep', '1000'] }))`);
    // Fault: all released in the same instant.
    const up = await fault().run(['up', '-d'], {}, 60_000);
    // Expected: all ready; down leaves nothing.
    // Check:
    expect(up.code, up.stderr).toBe(0);
    const rows = JSON.parse((await fault().run(['ps', '--json'])).stdout) as { state: string }[];
    expect(rows).toHaveLength(200);
    expect(rows.every((r) => r.state === 'ready')).toBe(true);
    expect((await fault().run(['down'], {}, 60_000)).code).toBe(0);
    await waitFor(() => liveTagged(fault().tag).length === 0, 'every task gone', 5000);
  }, 90_000);

  it('handles fd exhaustion (ulimit -n 64) per task, without crashing', async () => {
    // Setup: 40 tasks under a 64-descriptor limit.
    fault().writeConfig(`tasks: Array.from({ length: 40 }, (_, i) => ({ name: 't' + i, command: ['sleep', '1000'], restart: { maxRestarts: 1, backoff: 50 } }))`);
    // Fault: ignite runs out of file descriptors while spawning.
    const up = fault().cli(['up', '--output', 'json'], { shellPrefix: 'ulimit -n 64' });
    const settled = await Promise.race([
      up.waitOutput(/"state":"settled"/, 20_000).then(() => true, () => false),
      up.waitExit(20_000).then(() => false, () => false),
    ]);
    // Expected: no crash; startup settles; some tasks ready, the others failed with a spawn error.
    // Check:
    expect(settled, up.output().slice(-2000)).toBe(true);
    expect(up.exitCode()).toBeUndefined();
    const events = parseEvents(up.stdout());
    const states = new Map<string, string>();
    for (const e of events) if (e.type === 'task-state') states.set(e.task, e.state);
    expect(states.size).toBe(40);
    expect([...states.values()].every((st) => st === 'ready' || st === 'failed')).toBe(true);
    expect([...states.values()].filter((st) => st === 'ready').length).toBeGreaterThan(0);
    expect(up.stderr()).not.toMatch(/internal error|EMFILE.*\n\s+at /);
    signal(up.pid, 'SIGTERM');
    await up.waitExit(20_000);
    await waitFor(() => liveTagged(fault().tag).length === 0, 'every task gone', 5000);
  });
});

