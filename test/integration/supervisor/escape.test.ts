import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventually, harness, leftovers, logReady, stack, task } from './fixtures.js';
import { isAlive } from '../../helpers/procs.js';

const make = harness();

/**
 * Leaves a `sleep <n>` in a new session (outside the task's group) and prints its
 * pid once it has left: it writes a marker only after setsid, then execs sleep.
 */
const escape = (seconds: number): string => {
  const marker = `esc-${seconds}-$IGNITE_ATTEMPT.pid`;
  return (
    `setsid sh -c 'echo $$ > ${marker}; exec sleep ${seconds}' </dev/null >/dev/null 2>&1 & ` +
    `while [ ! -s ${marker} ]; do sleep 0.01; done; echo "escaped $(cat ${marker})"`
  );
};

const escapedPid = (lines: string[]): number => Number(lines.find((l) => l.startsWith('escaped '))?.slice(8));

/** True once `pid` is `sleep` leading its own session: it has left the task's group. */
function hasEscaped(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const session = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
    return session === pid && readFileSync(`/proc/${pid}/cmdline`, 'latin1').startsWith('sleep');
  } catch {
    return false;
  }
}

describe('processes that escape their process group', () => {
  it('kills a setsid escapee when its task is stopped, with a warning naming it', async () => {
    const { sup, rec } = make(stack((dir) => [task('svc', `${escape(31)}; echo up; exec sleep 30`, { ready: logReady(/up/) }, dir)]));
    await sup.up();
    const pid = escapedPid(rec.of('task-output', 'svc').flatMap((e) => e.lines));
    expect(await eventually(() => hasEscaped(pid))).toBe(true);
    await sup.stop(['svc']);
    expect(isAlive(pid)).toBe(false);
    const warnings = rec.of('task-warning', 'svc').map((e) => e.message);
    expect(warnings).toEqual([`escaped its process group: pid ${pid} (sleep 31); killed it`]);
  });

  it('kills what a oneshot left in another session once it exits on its own', async () => {
    const { sup, rec } = make(stack((dir) => [task('job', escape(32), { oneshot: true }, dir)]));
    await sup.up();
    const pid = escapedPid(rec.of('task-output', 'job').flatMap((e) => e.lines));
    await rec.waitFor('task-warning', (e) => e.task === 'job' && e.message.includes(`pid ${pid}`));
    expect(await waitDead(pid)).toBe(true);
    expect(sup.status()[0]?.state).toBe('completed');
  });

  it('sweeps every task once at the end of down', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('a', `${escape(33)}; echo up; exec sleep 30`, { ready: logReady(/up/) }, dir),
        task('b', `${escape(34)}; echo up; exec sleep 30`, { ready: logReady(/up/) }, dir),
      ]),
    );
    await sup.up();
    for (const name of ['a', 'b']) {
      const pid = escapedPid(rec.of('task-output', name).flatMap((e) => e.lines));
      expect(await eventually(() => hasEscaped(pid))).toBe(true);
    }
    await sup.down();
    expect(leftovers('sleep')).toEqual([]);
    expect(rec.of('task-warning').map((e) => e.task).sort()).toEqual(['a', 'b']);
    // the warnings come before the stack is reported stopped
    const stopped = rec.events.findIndex((e) => e.type === 'stack-state' && e.state === 'stopped');
    expect(rec.events.findIndex((e) => e.type === 'task-warning')).toBeLessThan(stopped);
  });

  it('leaves the next attempt of a restarted task alone', async () => {
    // attempt 1 escapes and crashes; attempt 2 escapes too and keeps running
    const { sup, rec } = make(
      stack((dir) => [
        task('flaky', `${escape(35)}; [ "$IGNITE_ATTEMPT" = 1 ] && exit 3; echo up; exec sleep 30`, { ready: logReady(/up/), restart: { backoffMs: 0 } }, dir),
      ]),
    );
    await sup.up();
    const [first, second] = rec.of('task-output', 'flaky').flatMap((e) => e.lines).filter((l) => l.startsWith('escaped ')).map((l) => Number(l.slice(8)));
    await rec.waitFor('task-warning', (e) => e.message.includes(`pid ${String(first)}`));
    expect(await waitDead(first ?? -1)).toBe(true);
    expect(isAlive(second ?? -1)).toBe(true);
    expect(rec.of('task-warning').filter((e) => e.message.includes(`pid ${String(second)}`))).toEqual([]);
  });

  it('gives every child its run identity: IGNITE_RUN (one per supervisor) and IGNITE_ATTEMPT', async () => {
    const { sup, rec } = make(stack((dir) => [task('who', 'echo "$IGNITE_RUN $IGNITE_ATTEMPT"', { oneshot: true }, dir)]));
    await sup.up();
    const [run, attempt] = (rec.of('task-output', 'who')[0]?.lines[0] ?? '').split(' ');
    expect(run).toMatch(/^[0-9a-f]{16}$/);
    expect(attempt).toBe('1');
  });
});

async function waitDead(pid: number, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
