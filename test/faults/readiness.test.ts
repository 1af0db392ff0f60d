import { describe, expect, it } from 'vitest';
import { ready } from '../../src/config/define.js';
import { findTagged, groupMembers, isLive, useFaults, waitFor, waitGone } from './harness.js';

const fault = useFaults();
const sh = (script: string): string[] => ['/bin/sh', '-c', script];
const once = { policy: 'never' } as const;

describe('notify fd readiness', () => {
  it('is ready when the task writes a line to IGNITE_NOTIFY_FD', async () => {
    // Setup / Fault: the task writes "READY=1\n" after 100 ms.
    const s = fault().supervise({ tasks: [{ name: 'n', command: sh('sleep 0.1; echo READY=1 >&$IGNITE_NOTIFY_FD; sleep 1000'), ready: ready.notify(), readyTimeout: '5s' }] });
    await s.sup.up();
    // Expected / Check: ready.
    expect(s.sup.status()[0]?.state).toBe('ready');
    await s.sup.down();
  });

  it.each([
    ['closes the fd without a line', 'exec 3>&-; sleep 1000', /closed the notify fd/],
    ['writes garbage without a newline', "printf '\\001\\377garbage' >&3; sleep 1000", /timed out|within|timeout/i],
    ['stays silent', 'sleep 1000', /timed out|within|timeout/i],
  ])('fails the attempt when the task %s, and kills its group', async (_label, script, message) => {
    // Setup: notify readiness, 600 ms timeout, no restarts; a grandchild in the group.
    const s = fault().supervise({ tasks: [{ name: 'n', command: sh(`sleep 1000 3>&- & ${script}`), ready: ready.notify(), readyTimeout: '600ms', restart: once }] });
    // Fault: the notification never comes.
    await s.sup.up();
    // Expected: failed with a clear reason; nothing of the group left.
    // Check:
    await s.waitState('n', 'failed');
    const failure = s.of('task-state', 'n').find((e) => e.failure !== undefined)?.failure;
    expect(JSON.stringify(failure)).toMatch(message);
    const pids = s.of('task-spawn', 'n').map((e) => e.pid);
    expect(pids.flatMap(groupMembers)).toEqual([]);
    await s.sup.down();
  });
});

describe('readiness timeouts and probes', () => {
  it('kills the group at readyTimeout and blocks its dependents', async () => {
    // Setup: db never logs its ready line; api depends on it; an independent task beside.
    const s = fault().supervise({
      tasks: [
        { name: 'db', command: sh('sleep 1000 & sleep 1000'), ready: ready.log(/never/), readyTimeout: '500ms', restart: once },
        { name: 'api', command: sh('sleep 1000'), dependsOn: ['db'] },
        { name: 'other', command: sh('sleep 1000') },
      ],
    });
    // Fault: readiness times out.
    await s.sup.up();
    // Expected: db failed (group gone), api blocked and never spawned, other ready.
    // Check:
    const states = Object.fromEntries(s.sup.status().map((r) => [r.name, r.state]));
    expect(states).toEqual({ db: 'failed', api: 'blocked', other: 'ready' });
    expect(s.of('task-spawn', 'api')).toEqual([]);
    expect(groupMembers(s.of('task-spawn', 'db')[0]?.pid ?? -1)).toEqual([]);
    await s.sup.down();
  });

  it('kills a hung probe command at its own timeout', async () => {
    // Setup: a command probe that hangs (sleep 1000) with a 300 ms probe timeout, 3 s readyTimeout.
    const s = fault().supervise({ tasks: [{ name: 'p', command: sh('sleep 1000'), ready: ready.command(['sh', '-c', 'echo probe-$$; exec sleep 1000'], { timeout: '300ms' }), readyTimeout: '3s', restart: once }] });
    void s.sup.up();
    // Fault: the first probe hangs.
    const probe = await waitFor(() => findTagged(fault().tag).find((p) => p.cmdline === 'sleep 1000' && p.pgid !== s.sup.status()[0]?.pid)?.pid, 'the probe to run', 3000);
    // Expected: the probe process is killed about 300 ms later, long before readyTimeout.
    // Check:
    const t0 = Date.now();
    await waitGone(probe, 2000);
    expect(Date.now() - t0).toBeLessThan(1500);
    await s.sup.down();
  });
});

describe('dependencies after startup', () => {
  it('leaves a dependent running when its dependency dies (restart: false)', async () => {
    // Setup: db (restarts) ← api.
    const s = fault().supervise({
      tasks: [
        { name: 'db', command: sh('echo up; sleep 1000'), ready: ready.log(/up/), restart: { policy: 'always', backoff: '50ms', minUptime: 0 } },
        { name: 'api', command: sh('echo up; sleep 1000'), ready: ready.log(/up/), dependsOn: ['db'] },
      ],
    });
    await s.sup.up();
    const apiPid = s.sup.status()[1]?.pid ?? -1;
    // Fault: db is killed.
    process.kill(-(s.sup.status()[0]?.pid ?? 0), 'SIGKILL');
    // Expected: db comes back; api keeps its process.
    // Check:
    await s.waitEvent('task-spawn', (e) => e.task === 'db' && e.attempt === 2);
    await s.waitEvent('task-ready', (e) => e.task === 'db', 5000, s.events.findIndex((e) => e.type === 'task-spawn' && e.task === 'db' && e.attempt === 2));
    expect(s.sup.status()[1]).toMatchObject({ state: 'ready', pid: apiPid });
    await s.sup.down();
  });

  it('restarts a dependent when its dependency restarts (restart: true)', async () => {
    // Setup: db ← api with { restart: true }.
    const s = fault().supervise({
      tasks: [
        { name: 'db', command: sh('echo up; sleep 1000'), ready: ready.log(/up/), restart: { policy: 'always', backoff: '50ms', minUptime: 0 } },
        { name: 'api', command: sh('echo up; sleep 1000'), ready: ready.log(/up/), dependsOn: [{ task: 'db', restart: true }] },
      ],
    });
    await s.sup.up();
    const apiPid = s.sup.status()[1]?.pid ?? -1;
    // Fault: db is killed.
    process.kill(-(s.sup.status()[0]?.pid ?? 0), 'SIGKILL');
    // Expected: api gets a new process after db is ready again; the old one is gone.
    // Check:
    await s.waitEvent('task-spawn', (e) => e.task === 'api' && e.attempt >= 2, 5000);
    await waitGone(apiPid, 3000);
    const dbReady2 = s.of('task-ready', 'db')[1]?.at ?? Infinity;
    expect(s.of('task-spawn', 'api')[1]?.at).toBeGreaterThanOrEqual(dbReady2);
    await s.sup.down();
  });

  it('waits for a slow dependent to stop before stopping its dependency', async () => {
    // Setup: db ← api, where api takes 600 ms to shut down.
    const s = fault().supervise({
      tasks: [
        { name: 'db', command: sh("trap 'exit 0' TERM; echo up; while :; do sleep 0.05; done"), ready: ready.log(/up/) },
        { name: 'api', command: sh("trap 'sleep 0.6; exit 0' TERM; echo up; while :; do sleep 0.05; done"), ready: ready.log(/up/), dependsOn: ['db'] },
      ],
    });
    await s.sup.up();
    const dbPid = s.sup.status()[0]?.pid ?? -1;
    // Fault: the stack is brought down.
    await s.sup.down();
    // Expected: db starts stopping only after api is stopped (≥ 600 ms later).
    // Check:
    const apiStopped = s.of('task-state', 'api').find((e) => e.state === 'stopped')?.at ?? Infinity;
    const dbStopping = s.of('task-state', 'db').find((e) => e.state === 'stopping')?.at ?? -Infinity;
    expect(dbStopping).toBeGreaterThanOrEqual(apiStopped);
    expect(apiStopped - (s.of('task-state', 'api').find((e) => e.state === 'stopping')?.at ?? 0)).toBeGreaterThanOrEqual(550);
    expect(isLive(dbPid)).toBe(false);
  });
});
