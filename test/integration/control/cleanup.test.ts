import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanupStale,
  describeCleanup,
  processStartTime,
  readStateFile,
  removeStateFile,
  stateFilePath,
  writeStateFile,
  type StateFile,
} from '../../../src/control/index.js';
import { isAlive } from '../../helpers/procs.js';
import { tempDir } from './fake-api.js';

describe('state file and crash cleanup', () => {
  const children: ChildProcess[] = [];
  const extraPids: number[] = [];
  const dirs: ReturnType<typeof tempDir>[] = [];

  afterEach(() => {
    for (const child of children.splice(0)) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const pid of extraPids.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const dir of dirs.splice(0)) dir.remove();
  });

  function temp(): string {
    const dir = tempDir();
    dirs.push(dir);
    return dir.path;
  }

  /** A detached shell (own process group) that prints its background child's pid, then waits. */
  async function group(script = 'sleep 30 & echo $!; wait'): Promise<{ pid: number; startTime: number; inner: number }> {
    const child = spawn('sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(child);
    const output = await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    const pid = child.pid!;
    const inner = Number(output.trim());
    extraPids.push(inner);
    return { pid, startTime: processStartTime(pid)!, inner };
  }

  /** A pid that existed and is gone now (and its recorded start time). */
  async function deadPid(): Promise<{ pid: number; start: number }> {
    const child = spawn('sh', ['-c', 'read x'], { stdio: ['pipe', 'ignore', 'ignore'] });
    await once(child, 'spawn');
    const start = processStartTime(child.pid!)!;
    child.kill('SIGKILL');
    await once(child, 'exit');
    return { pid: child.pid!, start };
  }

  async function waitGone(pids: number[]): Promise<void> {
    await expect.poll(() => pids.filter(isAlive), { timeout: 3000, interval: 20 }).toEqual([]);
  }

  it('reads a process start time from /proc and nothing for a missing pid', async () => {
    const own = processStartTime(process.pid);
    expect(Number.isInteger(own)).toBe(true);
    const { pid, startTime } = await group();
    expect(startTime).toBeGreaterThanOrEqual(own!);
    expect(processStartTime(pid)).toBe(startTime);
    expect(processStartTime(2 ** 22 + 1)).toBeUndefined();
  });

  it('writes the state file atomically with mode 0600 in a 0700 directory, latest state winning', async () => {
    const stateDir = temp();
    const state = (n: number): StateFile => ({
      supervisorPid: process.pid,
      supervisorStart: processStartTime(process.pid)!,
      configFile: '/x/ignite.config.ts',
      children: Array.from({ length: n }, (_, i) => ({ task: `t${i}`, pid: 100 + i, pgid: 100 + i, startTime: 5 })),
    });
    const writes = Array.from({ length: 50 }, (_, i) => writeStateFile(stateDir, state(i)));
    const results = await Promise.all(writes);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await readStateFile(stateDir)).toEqual(state(49));
    expect(statSync(stateFilePath(stateDir)).mode & 0o777).toBe(0o600);
    expect(statSync(join(stateDir, 'run')).mode & 0o777).toBe(0o700);
    await removeStateFile(stateDir);
    expect(existsSync(stateFilePath(stateDir))).toBe(false);
    expect(await readStateFile(stateDir)).toBeUndefined();
  });

  it('reads a damaged state file as no state', async () => {
    const stateDir = temp();
    mkdirSync(join(stateDir, 'run'), { mode: 0o700 });
    writeFileSync(stateFilePath(stateDir), '{"supervisorPid": "x"');
    expect(await readStateFile(stateDir)).toBeUndefined();
  });

  it('says that a damaged state file could not be used and removes it', async () => {
    const stateDir = temp();
    mkdirSync(join(stateDir, 'run'), { mode: 0o700 });
    writeFileSync(stateFilePath(stateDir), '{"supervisorPid": 12');
    const report = await cleanupStale(stateDir, { graceMs: 100 });
    const text = describeCleanup(report) ?? '';
    expect(text.startsWith(`the state file ${stateFilePath(stateDir)} (not JSON: `)).toBe(true);
    expect(text).toMatch(/\) is damaged: processes left running by an ignite that died cannot be found from it; it was removed$/);
    expect(existsSync(stateFilePath(stateDir))).toBe(false);
    writeFileSync(stateFilePath(stateDir), '{"supervisorPid": "x"}');
    expect((await cleanupStale(stateDir, { graceMs: 100 })).damaged).toBe(`${stateFilePath(stateDir)} (not the fields ignite writes)`);
  });

  it('kills the recorded process groups of a dead supervisor and leaves a pid whose start time does not match alone', async () => {
    const stateDir = temp();
    const supervisor = await deadPid();
    const api = await group();
    const db = await group();
    const stranger = await group();
    await writeStateFile(stateDir, {
      supervisorPid: supervisor.pid,
      supervisorStart: supervisor.start,
      configFile: '/x/ignite.config.ts',
      children: [
        { task: 'api', pid: api.pid, pgid: api.pid, startTime: api.startTime },
        { task: 'db', pid: db.pid, pgid: db.pid, startTime: db.startTime },
        { task: 'old', pid: stranger.pid, pgid: stranger.pid, startTime: stranger.startTime - 1 },
      ],
    });
    const report = await cleanupStale(stateDir);
    expect(report).toEqual({
      supervisorAlive: false,
      cleaned: [
        { task: 'api', pid: api.pid },
        { task: 'db', pid: db.pid },
      ],
    });
    await waitGone([api.pid, api.inner, db.pid, db.inner]);
    expect(isAlive(stranger.pid)).toBe(true);
    expect(isAlive(stranger.inner)).toBe(true);
    expect(existsSync(stateFilePath(stateDir))).toBe(false);
  });

  it('kills a group whose leader is gone but whose members remain', async () => {
    const stateDir = temp();
    const supervisor = await deadPid();
    const orphaned = await group();
    process.kill(orphaned.pid, 'SIGKILL');
    await waitGone([orphaned.pid]);
    expect(isAlive(orphaned.inner)).toBe(true);
    await writeStateFile(stateDir, {
      supervisorPid: supervisor.pid,
      supervisorStart: supervisor.start,
      configFile: '/x/ignite.config.ts',
      children: [{ task: 'worker', pid: orphaned.pid, pgid: orphaned.pid, startTime: orphaned.startTime }],
    });
    const report = await cleanupStale(stateDir);
    expect(report.cleaned).toEqual([{ task: 'worker', pid: orphaned.pid }]);
    await waitGone([orphaned.inner]);
  });

  it('sends SIGKILL to a group that ignores SIGTERM after the grace period', async () => {
    const stateDir = temp();
    const supervisor = await deadPid();
    const stubborn = await group(`trap '' TERM; sleep 30 & echo $!; while :; do wait; done`);
    await writeStateFile(stateDir, {
      supervisorPid: supervisor.pid,
      supervisorStart: supervisor.start,
      configFile: '/x/ignite.config.ts',
      children: [{ task: 'stubborn', pid: stubborn.pid, pgid: stubborn.pid, startTime: stubborn.startTime }],
    });
    const started = Date.now();
    const report = await cleanupStale(stateDir, { graceMs: 300 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(report.cleaned).toHaveLength(1);
    await waitGone([stubborn.pid, stubborn.inner]);
  });

  it('touches nothing while the recorded supervisor is alive', async () => {
    const stateDir = temp();
    const api = await group();
    await writeStateFile(stateDir, {
      supervisorPid: process.pid,
      supervisorStart: processStartTime(process.pid)!,
      configFile: '/x/ignite.config.ts',
      children: [{ task: 'api', pid: api.pid, pgid: api.pid, startTime: api.startTime }],
    });
    expect(await cleanupStale(stateDir)).toEqual({ cleaned: [], supervisorAlive: true });
    expect(isAlive(api.pid)).toBe(true);
    expect(JSON.parse(readFileSync(stateFilePath(stateDir), 'utf8'))).toMatchObject({ supervisorPid: process.pid });
  });

  it('treats a live pid with another start time as a dead supervisor', async () => {
    const stateDir = temp();
    await writeStateFile(stateDir, {
      supervisorPid: process.pid,
      supervisorStart: processStartTime(process.pid)! + 1,
      configFile: '/x/ignite.config.ts',
      children: [],
    });
    expect(await cleanupStale(stateDir)).toEqual({ cleaned: [], supervisorAlive: false });
    expect(existsSync(stateFilePath(stateDir))).toBe(false);
  });
});
