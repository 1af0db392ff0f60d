import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { ready } from '../../src/config/define.js';
import { findTagged, groupMembers, isLive, signal, staysFalse, useFaults, waitFor, waitGone } from './harness.js';

const fault = useFaults();
const sh = (script: string): string[] => ['/bin/sh', '-c', script];

describe('stopping a task', () => {
  it('stops a task that handles SIGTERM gracefully, well within its timeout', async () => {
    // Setup: a task that exits 0 on SIGTERM.
    const s = fault().supervise({ tasks: [{ name: 'svc', command: sh("trap 'echo bye; exit 0' TERM; echo up; while :; do sleep 0.05; done"), ready: ready.log(/up/), stop: { timeout: '5s' } }] });
    await s.sup.up();
    const pid = s.sup.status()[0]?.pid ?? -1;
    // Fault: a stop request.
    const t0 = Date.now();
    await s.sup.stop(['svc']);
    // Expected: stopped by its own handler (exit 0, no SIGKILL) in far less than 5 s.
    // Check:
    expect(Date.now() - t0).toBeLessThan(2000);
    const exit = s.of('task-exit', 'svc')[0];
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(s.output('svc')).toContain('bye');
    expect(s.sup.status()[0]?.state).toBe('stopped');
    expect(isLive(pid)).toBe(false);
    await s.sup.down();
  });

  it('SIGKILLs a TERM-ignoring task at its stop timeout, grandchildren and all', async () => {
    // Setup: a shell ignoring TERM, with two grandchildren that inherit the ignore.
    const s = fault().supervise({ tasks: [{ name: 'stubborn', command: sh("trap '' TERM; sleep 1000 & sleep 1000 & echo up; wait"), ready: ready.log(/up/), stop: { timeout: '600ms' } }] });
    await s.sup.up();
    const pgid = s.sup.status()[0]?.pid ?? -1;
    const members = await waitFor(() => (groupMembers(pgid).length >= 3 ? groupMembers(pgid) : undefined), 'the group to hold 3 processes');
    // Fault: stop; TERM is ignored by every member.
    const t0 = Date.now();
    await s.sup.stop(['stubborn']);
    const took = Date.now() - t0;
    // Expected: the stop waits the timeout, then SIGKILLs the whole group.
    // Check:
    expect(took).toBeGreaterThanOrEqual(550);
    expect(took).toBeLessThan(4000);
    expect(s.of('task-exit', 'stubborn')[0]?.signal).toBe('SIGKILL');
    expect(members.filter(isLive)).toEqual([]);
    expect(groupMembers(pgid)).toEqual([]);
    await s.sup.down();
  });

  it('stops a SIGSTOPped task gracefully (SIGCONT follows the stop signal)', async () => {
    // Setup: a task that exits 0 on TERM, then frozen with SIGSTOP.
    const s = fault().supervise({ tasks: [{ name: 'frozen', command: sh("trap 'echo thawed; exit 0' TERM; echo up; while :; do sleep 0.05; done"), ready: ready.log(/up/), stop: { timeout: '5s' } }] });
    await s.sup.up();
    const pgid = s.sup.status()[0]?.pid ?? -1;
    // Fault: freeze the whole group.
    signal(-pgid, 'SIGSTOP');
    await waitFor(() => /\bState:\s+T/.test(readStatus(pgid)), 'the task to be stopped (T)');
    const t0 = Date.now();
    await s.sup.stop(['frozen']);
    // Expected: it still handles TERM (exit 0, not SIGKILL) quickly.
    // Check:
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(s.of('task-exit', 'frozen')[0]).toMatchObject({ code: 0, signal: null });
    await s.sup.down();
  });

  it('kills grandchildren inside the group when the leader exits on its own', async () => {
    // Setup: a oneshot leader that leaves a background grandchild behind and exits.
    const s = fault().supervise({ tasks: [{ name: 'leaky', oneshot: true, command: sh('sleep 1000 & echo $! ; exit 0') }] });
    // Fault: the leader exits with the grandchild still in its group.
    await s.sup.up();
    await s.waitState('leaky', 'completed');
    // Expected: nothing of the group remains.
    // Check:
    const grandchild = Number(s.output('leaky')[0]);
    expect(grandchild).toBeGreaterThan(0);
    await waitGone(grandchild, 3000);
    await s.sup.down();
  });

  it('detects a setsid escapee and reports it (or kills it)', async () => {
    // Setup: a task that starts a process in a new session, outside its group.
    const s = fault().supervise({ tasks: [{ name: 'escape', command: sh('setsid sleep 1000 </dev/null >/dev/null 2>&1 & echo up; sleep 1000'), ready: ready.log(/up/), stop: { timeout: '2s' } }] });
    await s.sup.up();
    const escapee = await waitFor(() => findEscapee(s.sup.status()[0]?.pid ?? -1, fault().tag), 'the escapee');
    // Fault: stop the task; a process-group kill cannot reach the escapee.
    await s.sup.stop(['escape']);
    await s.sup.down();
    // Expected: the escapee is killed, or at least a warning names it.
    // Check:
    const warned = s.of('task-warning', 'escape').some((w) => w.message.includes(String(escapee)) || /escap|session|left/i.test(w.message));
    const killed = !isLive(escapee);
    signal(escapee, 'SIGKILL');
    expect(killed || warned, `escapee ${escapee} survived and no warning was emitted`).toBe(true);
  });
});

describe('stop, start and restart in every state', () => {
  it('stops a task while it is starting, and never spawns it again', async () => {
    // Setup: a task whose readiness never passes.
    const s = fault().supervise({ tasks: [{ name: 'slow', command: sh('sleep 1000'), ready: ready.log(/never/), readyTimeout: '30s' }] });
    void s.sup.up();
    await s.waitState('slow', 'starting');
    // Fault: stop during starting.
    await s.sup.stop(['slow']);
    const spawns = s.of('task-spawn', 'slow').length;
    // Expected: stopped, and no spawn after the stop was acknowledged.
    // Check:
    expect(s.sup.status()[0]?.state).toBe('stopped');
    expect(await staysFalse(() => s.of('task-spawn', 'slow').length > spawns, 400)).toBe(true);
    await s.sup.down();
  });

  it('stops a task in backoff, and never spawns it again', async () => {
    // Setup: a crashing task with a 300 ms backoff.
    const s = fault().supervise({ tasks: [{ name: 'crash', command: sh('exit 3'), restart: { policy: 'always', backoff: '300ms', minUptime: 0, maxRestarts: 100 } }] });
    void s.sup.up();
    await s.waitState('crash', 'backoff');
    // Fault: stop during backoff.
    await s.sup.stop(['crash']);
    const spawns = s.of('task-spawn', 'crash').length;
    // Expected: stopped; the pending restart is cancelled.
    // Check:
    expect(s.sup.status()[0]?.state).toBe('stopped');
    expect(await staysFalse(() => s.of('task-spawn', 'crash').length > spawns, 700)).toBe(true);
    await s.sup.down();
  });

  it('restarts a task in backoff at once, resetting the wait', async () => {
    // Setup: a task crashing until a marker file exists, with a long backoff.
    const marker = `${fault().dir}/ok`;
    const s = fault().supervise({ tasks: [{ name: 'flaky', command: sh(`[ -e ${marker} ] || exit 1; echo up; sleep 1000`), ready: ready.log(/up/), restart: { policy: 'always', backoff: '20s', minUptime: 0 } }] });
    void s.sup.up();
    await s.waitState('flaky', 'backoff');
    // Fault: fix the cause and restart manually during backoff.
    writeFileSync(marker, '');
    const t0 = Date.now();
    const result = await s.sup.restart(['flaky']);
    // Expected: ready well before the 20 s backoff.
    // Check:
    expect(result.ok).toBe(true);
    await s.waitState('flaky', 'ready', 5000);
    expect(Date.now() - t0).toBeLessThan(5000);
    await s.sup.down();
  });

  it('honours a start requested while the task is stopping: one new process, no duplicate', async () => {
    // Setup: a task that takes ~400 ms to stop.
    const s = fault().supervise({ tasks: [{ name: 'lazy', command: sh("trap 'sleep 0.4; exit 0' TERM; echo up; while :; do sleep 0.05; done"), ready: ready.log(/up/) }] });
    await s.sup.up();
    // Fault: stop, and while it is stopping, start (and restart) it.
    const stopping = s.sup.stop(['lazy']);
    await s.waitState('lazy', 'stopping');
    const start = s.sup.start(['lazy']);
    const restart = s.sup.restart(['lazy']);
    await Promise.all([stopping, start, restart]);
    // Expected: at most one live process afterwards, and the state machine settles.
    // Check:
    await waitFor(() => ['ready', 'stopped'].includes(s.sup.status()[0]?.state ?? ''), 'lazy to settle', 5000);
    const spawned = s.of('task-spawn', 'lazy').map((e) => e.pid);
    expect(spawned.filter(isLive).length).toBeLessThanOrEqual(1);
    await s.sup.down();
    expect(spawned.filter(isLive)).toEqual([]);
  });

  it('survives 200 random crash-versus-stop races with no spawn after a stop', async () => {
    // Setup: 10 tasks that crash ~10 ms after start and restart at once.
    const tasks = Array.from({ length: 10 }, (_, i) => ({
      name: `r${i}`,
      command: sh('sleep 0.01; exit 1'),
      restart: { policy: 'always', backoff: 1, maxBackoff: 5, minUptime: 0, maxRestarts: 0 },
      autostart: false,
    }));
    for (const task of tasks) task.restart.maxRestarts = 100_000;
    const s = fault().supervise({ tasks });
    await s.sup.up();
    const names = tasks.map((t) => t.name);
    for (let round = 0; round < 20; round++) {
      // Fault: start all, stop each at a random moment (before, during or after a crash).
      await s.sup.start(names);
      await Promise.all(names.map((name) => new Promise<void>((resolve) => setTimeout(() => void s.sup.stop([name]).then(() => resolve()), Math.random() * 40))));
      // Expected: every task stopped, no live process, no spawn once stopped.
      const spawns = s.of('task-spawn').length;
      for (const row of s.sup.status()) expect(row.state, `${row.name} in round ${round}`).toBe('stopped');
      expect(await staysFalse(() => s.of('task-spawn').length > spawns, 30)).toBe(true);
    }
    // Check: nothing of any spawned pid is alive.
    const pids = s.of('task-spawn').map((e) => e.pid);
    expect(pids.filter(isLive)).toEqual([]);
    await s.sup.down();
  });
});

describe('exit status fidelity', () => {
  it('tells "exit 137" from "killed by SIGKILL"', async () => {
    // Setup: one task exits with 137, another is killed by SIGKILL.
    const s = fault().supervise({
      tasks: [
        { name: 'code', oneshot: true, command: sh('exit 137') },
        { name: 'sig', oneshot: true, command: sh('kill -9 $$') },
      ],
    });
    // Fault: both end abnormally.
    await s.sup.up();
    await s.waitState('code', 'failed');
    await s.waitState('sig', 'failed');
    // Expected: the exit events carry (137, null) and (null, SIGKILL).
    // Check:
    expect(s.of('task-exit', 'code')[0]).toMatchObject({ code: 137, signal: null });
    expect(s.of('task-exit', 'sig')[0]).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(s.sup.status().map((r) => r.state)).toEqual(['failed', 'failed']);
    await s.sup.down();
  });

  it('treats custom exitCodes as success and 0 as failure when 0 is not listed', async () => {
    // Setup: two oneshots expecting exit code 3.
    const s = fault().supervise({
      tasks: [
        { name: 'three', oneshot: true, command: sh('exit 3'), restart: { exitCodes: [3] } },
        { name: 'zero', oneshot: true, command: sh('exit 0'), restart: { exitCodes: [3] } },
      ],
    });
    // Fault: one exits 3, the other 0.
    await s.sup.up();
    await s.waitState('three', 'completed');
    await s.waitState('zero', 'failed');
    // Expected: 3 completes, 0 fails.
    // Check:
    const states = Object.fromEntries(s.sup.status().map((r) => [r.name, r.state]));
    expect(states).toEqual({ three: 'completed', zero: 'failed' });
    await s.sup.down();
  });
});

function readStatus(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return '';
  }
}

function findEscapee(leader: number, tag: string): number | undefined {
  return findTagged(tag).find((p) => p.sid !== leader && p.pgid !== leader && p.cmdline.startsWith('sleep') && p.state !== 'Z')?.pid;
}
