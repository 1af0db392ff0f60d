import { afterEach, describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { sampleGroup, sampleGroups, type GroupSample } from '../../../src/supervisor/process/stats.js';

const groups: number[] = [];

afterEach(() => {
  for (const pgid of groups.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function startGroup(script: string): number {
  const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  groups.push(child.pid!);
  return child.pid!;
}

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A pid no process has: one above the highest in /proc. */
function unusedPid(): number {
  const pids = readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number);
  return Math.max(...pids) + 1000;
}

describe('process group stats', () => {
  it('reports cpu above zero for a busy group on the second sample, and its memory', async () => {
    const pgid = startGroup('while :; do :; done');
    // right after fork, before exec, the child can read as 0 bytes: wait for the shell itself
    const first = await until(() => {
      const sample = sampleGroup(pgid);
      return sample !== undefined && sample.memory > 0 ? sample : undefined;
    }, 'the group to appear');
    expect(first.cpu).toBe(0);
    expect(first.memory).toBeGreaterThan(0);
    expect(first.processes).toBe(1);
    // ticks are 10 ms apart: over a window of a few ms one tick reads as hundreds of percent, so
    // measure over ≥ 300 ms, where the rounding is ≤ 2 ticks (≤ 7 %) for one process on one core
    const second = await until(() => {
      const sample = sampleGroup(pgid, first);
      return sample !== undefined && sample.at - first.at >= 300 && sample.cpu > 0 ? sample : undefined;
    }, 'cpu time to be counted');
    expect(second.cpu).toBeGreaterThan(0);
    expect(second.cpu).toBeLessThanOrEqual(110);
    expect(second.ticks).toBeGreaterThan(first.ticks);
  });

  it('reports 0, not hundreds of percent, for a window too short to measure in 10 ms ticks (a task sampled right after its start)', async () => {
    const pgid = startGroup('while :; do :; done');
    const busy = await until(() => {
      const sample = sampleGroup(pgid);
      return sample !== undefined && sample.ticks >= 3 ? sample : undefined;
    }, 'three ticks of cpu time');
    const justStarted: GroupSample = { ...busy, ticks: 0, at: Date.now() - 5 };
    expect(sampleGroup(pgid, justStarted)?.cpu).toBe(0);
  });

  it('counts and sums every process of a group', async () => {
    const pgid = startGroup('sleep 1000 & sleep 1000 & wait');
    const sample = await until(() => {
      const s = sampleGroup(pgid);
      return s !== undefined && s.processes === 3 ? s : undefined;
    }, 'three processes');
    expect(sample.memory).toBeGreaterThan(3 * 4096);
    expect(sample.pgid).toBe(pgid);
  });

  it('gives undefined for a group with no process', () => {
    expect(sampleGroup(unusedPid())).toBeUndefined();
  });

  it('samples many groups in one pass, leaving out the missing ones', async () => {
    const a = startGroup('exec sleep 1000');
    const b = startGroup('sleep 1000 & wait');
    const missing = unusedPid();
    const previous = new Map<number, GroupSample>();
    const samples = await until(() => {
      const s = sampleGroups([a, b, missing], previous);
      return s.get(b)?.processes === 2 && s.get(a)?.processes === 1 ? s : undefined;
    }, 'both groups');
    expect([...samples.keys()].sort()).toEqual([a, b].sort());
    expect(samples.get(a)?.processes).toBe(1);
    expect(sampleGroups([], previous).size).toBe(0);
  });
});
