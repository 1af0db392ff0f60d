import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ready } from '../../src/config/define.js';
import { staysFalse, useFaults } from './harness.js';

const fault = useFaults();
const sh = (script: string): string[] => ['/bin/sh', '-c', script];

/** Gaps between consecutive spawns, in ms. */
function gaps(at: number[]): number[] {
  return at.slice(1).map((t, i) => t - (at[i] ?? t));
}

describe('restart policies under crash loops', () => {
  it('spaces an immediate crash loop by growing gaps, then fails, then stays silent', async () => {
    // Setup: a task that exits 1 at once; backoff 80 ms doubling, 4 restarts.
    const s = fault().supervise({ tasks: [{ name: 'loop', command: sh('exit 1'), restart: { backoff: '80ms', factor: 2, maxRestarts: 4 } }] });
    // Fault: every attempt crashes immediately.
    void s.sup.up();
    await s.waitState('loop', 'failed', 10_000);
    // Expected: 5 spawns, each gap ≥ the backoff for that step (80, 160, 320, 640), then nothing.
    // Check:
    const spawns = s.of('task-spawn', 'loop').map((e) => e.at);
    expect(spawns).toHaveLength(5);
    gaps(spawns).forEach((gap, i) => expect(gap, `gap ${i}`).toBeGreaterThanOrEqual(80 * 2 ** i - 5));
    expect(s.of('task-state', 'loop').at(-1)?.failure?.reason).toBe('max-restarts');
    expect(await staysFalse(() => s.of('task-spawn', 'loop').length > 5, 500)).toBe(true);
    await s.sup.down();
  });

  it('still rate-limits a slow crash loop that passes readiness each time', async () => {
    // Setup: ready at once, crashes 150 ms later (past minUptime 100 ms), 3 restarts allowed.
    const s = fault().supervise({
      tasks: [{ name: 'slow', command: sh('echo up; sleep 0.15; exit 1'), ready: ready.log(/up/), restart: { backoff: '60ms', factor: 2, minUptime: '100ms', maxRestarts: 3 } }],
    });
    // Fault: each attempt becomes ready, then crashes.
    void s.sup.up();
    await s.waitState('slow', 'failed', 10_000);
    // Expected: readiness does not reset the streak: 4 attempts, growing delays, then failed.
    // Check:
    expect(s.of('task-ready', 'slow')).toHaveLength(4);
    expect(s.of('task-restart', 'slow').map((e) => e.delayMs)).toEqual([60, 120, 240]);
    await s.sup.down();
  });

  it('resets the backoff once the task has been up steadily (10 s)', async () => {
    // Setup: crashes twice quickly, then runs 10.3 s, then crashes again.
    const count = join(fault().dir, 'count');
    writeFileSync(count, '');
    const script = `echo x >> ${count}; n=$(wc -l < ${count}); echo up; if [ "$n" -eq 3 ]; then sleep 10.3; fi; if [ "$n" -le 3 ]; then exit 1; fi; sleep 1000`;
    const s = fault().supervise({ tasks: [{ name: 'steady', command: sh(script), ready: ready.log(/up/), restart: { backoff: '50ms', factor: 4, minUptime: 0 } }] });
    // Fault: the crash after a long steady run.
    void s.sup.up();
    await s.waitEvent('task-spawn', (e) => e.attempt === 4, 15_000);
    // Expected: delays 50, 200, then 50 again (streak reset), not 800.
    // Check:
    expect(s.of('task-restart', 'steady').map((e) => e.delayMs)).toEqual([50, 200, 50]);
    await s.sup.down();
  }, 20_000);

  it('never calls a oneshot "too quick"', async () => {
    // Setup: a oneshot exiting 0 at once, with a 5 s minUptime.
    const s = fault().supervise({ tasks: [{ name: 'migrate', oneshot: true, command: sh('exit 0'), restart: { minUptime: '5s' } }] });
    // Fault: it finishes in a few milliseconds.
    void s.sup.up();
    // Expected: completed, not failed or restarted.
    // Check:
    await s.waitState('migrate', 'completed');
    expect(s.states('migrate')).not.toContain('backoff');
    await s.sup.down();
  });

  it.each([
    ['ENOENT', { command: ['/nonexistent/ignite-fault-binary'] }],
    ['EACCES', { command: ['__NOEXEC__'] }],
    ['a missing cwd', { command: ['true'], cwd: '/nonexistent/ignite-fault-dir' }],
  ])('backs off on a spawn failure (%s): warned once, no hot loop, no fd leak', async (_label, extra) => {
    // Setup: a task that cannot spawn, 5 restarts from 40 ms.
    const noexec = join(fault().dir, 'noexec.sh');
    writeFileSync(noexec, '#!/bin/sh\nexit 0\n');
    chmodSync(noexec, 0o644);
    const command = extra.command[0] === '__NOEXEC__' ? [noexec] : extra.command;
    const fdsBefore = readdirSync('/proc/self/fd').length;
    const s = fault().supervise({ tasks: [{ name: 'broken', ...extra, command, restart: { backoff: '40ms', factor: 2, maxRestarts: 5 } }] });
    // Fault: every start attempt fails before a process runs.
    void s.sup.up();
    await s.waitState('broken', 'failed', 10_000);
    // Expected: 5 growing backoffs (40…640), one warning naming the task, fds back to where they were.
    // Check:
    expect(s.of('task-restart', 'broken').map((e) => e.delayMs)).toEqual([40, 80, 160, 320, 640]);
    expect(s.of('task-warning', 'broken')).toHaveLength(1);
    await s.sup.down();
    expect(readdirSync('/proc/self/fd').length).toBeLessThanOrEqual(fdsBefore + 2);
  });

  it('restarts a failed task on request, with fresh counters', async () => {
    // Setup: a task that fails at once (no restarts), until a marker exists.
    const marker = join(fault().dir, 'fixed');
    const s = fault().supervise({ tasks: [{ name: 'svc', command: sh(`[ -e ${marker} ] || exit 1; echo up; sleep 1000`), ready: ready.log(/up/), restart: { maxRestarts: 0 } }] });
    void s.sup.up();
    await s.waitState('svc', 'failed');
    // Fault: fix it and restart by hand.
    writeFileSync(marker, '');
    const result = await s.sup.restart(['svc']);
    // Expected: the task runs again and is ready, with 0 restarts counted.
    // Check:
    expect(result.ok).toBe(true);
    await s.waitState('svc', 'ready');
    expect(s.sup.status()[0]).toMatchObject({ state: 'ready', restarts: 0 });
    await s.sup.down();
  });
});
