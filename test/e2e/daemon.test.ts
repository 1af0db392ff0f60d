import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/procs.js';
import { CLI, FIXTURES, removeDir, runCli, scratchDir } from './cli.js';

interface Row {
  name: string;
  state: string;
  pid: number | null;
  restarts: number;
  exitCode: number | null;
  startedAt: string | null;
  readyAt: string | null;
  cpu: number | null;
  memory: number | null;
}

// One detached stack for the whole file, in a scratch copy of the fixture.
let dir = '';
const cli = (...args: string[]) => runCli(args, { cwd: dir });

async function ps(): Promise<Row[]> {
  const result = await cli('ps', '--json');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Row[];
}

beforeAll(async () => {
  dir = scratchDir('daemon');
  cpSync(join(FIXTURES, 'daemon/ignite.config.mjs'), join(dir, 'ignite.config.mjs'));
  const up = await cli('up', '-d');
  expect(up.stderr).toContain('stack running in the background');
  expect(up.code).toBe(0);
  expect(up.stdout).toMatch(/^NAME +STATE +PID/m);
});

afterAll(async () => {
  await cli('down');
  removeDir(dir);
});

describe('a detached stack', () => {
  it('reports each task in the SPEC shape with ps --json', async () => {
    const rows = await ps();
    expect(rows.map((r) => [r.name, r.state])).toEqual([
      ['db', 'ready'],
      ['api', 'ready'],
      ['seed', 'completed'],
    ]);
    for (const row of rows) {
      for (const key of ['name', 'state', 'pid', 'restarts', 'exitCode', 'startedAt', 'readyAt', 'cpu', 'memory']) expect(row).toHaveProperty(key);
    }
    expect(rows[0]?.pid).toBeGreaterThan(0);
    // beyond the SPEC's minimum: the command, and since when a task that ran is over
    const extra = rows as unknown as { command: string; endedAt: string | null }[];
    expect(extra.map((r) => r.command)).toEqual([
      `sh -c 'i=0; while true; do i=$((i+1)); echo "db line $i"; sleep 0.2; done'`,
      `sh -c 'echo api up; exec sleep 60'`,
      'sleep 0.5; echo seeded',
    ]);
    expect(extra.map((r) => r.endedAt === null)).toEqual([true, true, false]);
    expect(Date.parse(extra[2]?.endedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });

  it('refuses a second up on the same state dir', async () => {
    const again = await cli('up', '-d');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/a stack is already running here \(pid \d+\); use `ignite ps` or `ignite down`/);
  });

  it('restarts a task with a new pid and the old one gone', async () => {
    const before = (await ps()).find((r) => r.name === 'api')?.pid;
    expect(before).toBeGreaterThan(0);
    const restart = await cli('restart', 'api');
    expect(restart.code).toBe(0);
    const after = (await ps()).find((r) => r.name === 'api');
    expect(after?.state).toBe('ready');
    expect(after?.pid).not.toBe(before);
    expect(isAlive(before!)).toBe(false);
  });

  it('prints the last lines of each log with logs -n', async () => {
    const logs = await cli('logs', '-n', '1', 'seed', 'db');
    expect(logs.code).toBe(0);
    const lines = logs.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^db {3}\| db line \d+$/);
    expect(lines[1]).toBe('seed | seeded');
  });

  it('exits 2 listing the tasks when a pattern matches nothing', async () => {
    const stop = await cli('stop', 'nope');
    expect(stop.code).toBe(2);
    expect(stop.stderr).toBe('ignite: no task matches "nope"; tasks: db, api, seed\n');
  });

  it('exits 0 without a stack trace when the reader of logs -f goes away', async () => {
    const { spawnSync } = await import('node:child_process');
    const piped = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" logs -f -n 0 db | head -1`], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', CI: 'true' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(piped.stderr).toBe('');
    expect(piped.status).toBe(0);
    expect(piped.stdout).toMatch(/^db \| db line \d+\n$/);
  });

  it('stays up while every task is stopped or done, and starts them again on request', async () => {
    expect((await cli('stop', 'api', 'db')).code).toBe(0);
    expect((await ps()).map((r) => [r.name, r.state])).toEqual([
      ['db', 'stopped'],
      ['api', 'stopped'],
      ['seed', 'completed'],
    ]);
    // a restart of a stopped task: between its stop and its start, nothing runs
    const restart = await cli('restart', 'api');
    expect(restart.code).toBe(0);
    expect((await ps()).map((r) => [r.name, r.state])).toEqual([
      ['db', 'ready'],
      ['api', 'ready'],
      ['seed', 'completed'],
    ]);
  });

  it('stops everything with down', async () => {
    const pids = (await ps()).map((r) => r.pid).filter((p): p is number => p !== null);
    const down = await cli('down');
    expect(down.code).toBe(0);
    expect(down.stderr).toBe('ignite: stack stopped\n');
    expect(pids.filter(isAlive)).toEqual([]);
    const after = await cli('ps');
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('no ignite stack is running');
  });

  it('still shows the last lines of the log files once the stack is down, but cannot follow them', async () => {
    const logs = await cli('logs', '-n', '1', 'seed', 'db');
    expect(logs.code).toBe(0);
    expect(logs.stderr).toMatch(/^ignite: no stack is running for .*\.ignite; the last lines of its log files:\n$/);
    const lines = logs.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^db {3}\| db line \d+$/);
    expect(lines[1]).toBe('seed | seeded');
    writeFileSync(join(dir, '.ignite/logs/api.log'), '');
    const empty = await cli('logs', 'api');
    expect(empty).toMatchObject({ code: 0, stdout: '' });
    expect(empty.stderr).toMatch(/\nignite: no lines logged by api\n$/);
    const follow = await cli('logs', '-f');
    expect(follow.code).toBe(1);
    expect(follow.stderr).toContain('no ignite stack is running');
  });
});
