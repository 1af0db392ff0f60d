import { rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/procs.js';
import { removeDir, runCli, scratchProject } from './cli.js';

// One detached stack: db, worker:0/1 (after db), and on request migrate (a oneshot exiting 7) and api (after it).
let dir = '';
const cli = (...args: string[]) => runCli(args, { cwd: dir });

async function pids(): Promise<number[]> {
  const rows = JSON.parse((await cli('ps', '--json')).stdout) as { pid: number | null }[];
  return rows.map((row) => row.pid).filter((pid): pid is number => pid !== null);
}

beforeAll(async () => {
  dir = scratchProject('actions', 'actions/ignite.config.mjs');
  expect((await cli('up', '-d')).code).toBe(0);
});

afterAll(async () => {
  const left = await pids();
  await cli('down');
  expect(left.filter(isAlive)).toEqual([]);
  removeDir(dir);
});

describe('start, stop, restart and kill say what happened to each task', () => {
  it('start of a running task says so and exits 0', async () => {
    const start = await cli('start', 'db');
    expect(start).toMatchObject({ code: 0, stderr: 'ignite: already running: db (ready)\n' });
  });

  it('start of a oneshot that fails exits 1 with the reason, and its dependent is blocked with exit 1', async () => {
    const migrate = await cli('start', 'migrate');
    expect(migrate).toMatchObject({ code: 1, stderr: 'ignite: migrate failed: exited with code 7; last output: no schema\n' });
    const api = await cli('start', 'api');
    // the start runs migrate again (a dependency that did not run), which fails again
    expect(api).toMatchObject({ code: 1, stderr: 'ignite: migrate failed: exited with code 7; last output: no schema\nignite: api blocked: not started because migrate failed\n' });
    expect((await cli('restart', 'api')).code).toBe(1);
  });

  it('stop and kill of a task that does not run say so; kill exits 1 when it signalled nothing', async () => {
    expect(await cli('stop', 'migrate')).toMatchObject({ code: 0, stderr: 'ignite: not running: migrate (failed)\n' });
    expect(await cli('kill', 'migrate')).toMatchObject({ code: 1, stderr: 'ignite: not running: migrate (failed)\n' });
  });

  it('names only the patterns that matched nothing', async () => {
    const ps = await cli('ps', 'db', 'nope');
    expect(ps.code).toBe(2);
    expect(ps.stderr).toBe('ignite: no task matches "nope"; tasks: db, worker:0, worker:1, migrate, api, flap\n');
  });

  it('ignite run refuses to start a second copy of tasks beside the running stack', async () => {
    const run = await cli('run', 'migrate');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ignite: a stack is already running here \(pid \d+\); use `ignite ps` or `ignite down`\n$/);
  });

  it('start of a replicated task starts the stopped replica and names the one already running', async () => {
    expect(await cli('stop', 'worker:1')).toMatchObject({ code: 0, stderr: 'ignite: stopped worker:1\n' });
    const start = await cli('start', 'worker');
    expect(start).toMatchObject({ code: 0, stderr: 'ignite: started worker:1\nignite: already running: worker:0 (ready)\n' });
    expect(await cli('kill', '-s', 'SIGCONT', 'worker')).toMatchObject({ code: 0, stderr: 'ignite: sent SIGCONT to worker:0, worker:1\n' });
    expect(await cli('kill', '-s', String(constants.signals.SIGCONT), 'worker')).toMatchObject({ code: 0, stderr: 'ignite: sent SIGCONT to worker:0, worker:1\n' });
    expect(await cli('kill', '-9', 'worker')).toMatchObject({ code: 2, stderr: 'ignite: "-9" is not a task: the signal is given with -s (ignite kill -s 9 …)\n' });
  });

  it('start of a task waiting out its backoff starts it now; kill names it as not running', async () => {
    writeFileSync(join(dir, 'go'), '');
    expect(await cli('start', 'flap')).toMatchObject({ code: 0, stderr: 'ignite: started flap\n' });
    rmSync(join(dir, 'go'));
    expect((await cli('kill', 'flap')).code).toBe(0);
    await waitForState('flap', 'backoff');
    expect(await cli('kill', 'flap')).toMatchObject({ code: 1, stderr: 'ignite: not running: flap (backoff)\n' });
    writeFileSync(join(dir, 'go'), '');
    const started = Date.now();
    expect(await cli('start', 'flap')).toMatchObject({ code: 0, stderr: 'ignite: started flap\n' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

async function waitForState(name: string, state: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (let delay = 25; Date.now() < deadline; delay = Math.min(delay * 2, 200)) {
    const rows = JSON.parse((await cli('ps', '--json')).stdout) as { name: string; state: string }[];
    if (rows.find((row) => row.name === name)?.state === state) return;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  throw new Error(`${name} never reached ${state}`);
}
