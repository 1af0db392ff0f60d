import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/procs.js';
import { removeDir, runCli, scratchProject, startCli } from './cli.js';

// `up -d` of a stack whose first task takes 3 s to be ready: what the user is told when startup is cut short.
let dir = '';

afterEach(async () => {
  await runCli(['down'], { cwd: dir });
  removeDir(dir);
});

async function startingPid(cwd: string): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (let delay = 25; Date.now() < deadline; delay = Math.min(delay * 2, 200)) {
    const ps = await runCli(['ps', '--json'], { cwd });
    if (ps.code === 0) {
      const slow = (JSON.parse(ps.stdout) as { name: string; state: string; pid: number | null }[]).find((row) => row.name === 'slow');
      if (slow?.state === 'starting' && slow.pid !== null) return slow.pid;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  throw new Error('slow never showed as starting');
}

describe('up -d when startup is cut short', () => {
  it('a down from elsewhere: exits 130 saying the stack was stopped, not that it runs', async () => {
    dir = scratchProject('detach-down', 'slow-start/ignite.config.mjs');
    const up = startCli(['up', '-d'], { cwd: dir });
    const pid = await startingPid(dir);
    expect((await runCli(['down'], { cwd: dir })).code).toBe(0);
    const result = await up.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/^ignite: the stack was stopped before its startup finished; log: .*ignite\.log$/m);
    expect(result.stderr).not.toContain('running in the background');
    expect(isAlive(pid)).toBe(false);
  });

  it('Ctrl+C while it waits: exits 130 and says the stack goes on in the background', async () => {
    dir = scratchProject('detach-sigint', 'slow-start/ignite.config.mjs');
    const up = startCli(['up', '-d'], { cwd: dir });
    const pid = await startingPid(dir);
    up.child.kill('SIGINT');
    const result = await up.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/stopped waiting; the stack goes on starting in the background \(pid \d+\): `ignite ps` shows it, `ignite down` stops it/);
    expect(isAlive(pid)).toBe(true);
    expect((await runCli(['down'], { cwd: dir })).code).toBe(0);
    expect(isAlive(pid)).toBe(false);
  });

  it('a required task failing during startup: exits 1 saying the stack shut down, not that it runs', async () => {
    dir = scratchProject('detach-required', 'required-startup/ignite.config.mjs');
    const result = await runCli(['up', '-d'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ignite: the stack shut down after a failure before its startup finished; log: .*ignite\.log$/m);
    expect(result.stderr).not.toContain('running in the background');
    expect(result.stdout).toMatch(/^req +failed/m);
  });

  it('a down before the new supervisor serves its socket waits for it, and stops it', async () => {
    dir = scratchProject('detach-early-down', 'slow-load/ignite.config.mjs');
    const up = startCli(['up', '-d'], { cwd: dir, env: { IGNITE_SLOW_LOAD: '1' } });
    const starting = join(dir, '.ignite/run/starting.json');
    await waitFor(() => existsSync(starting), 'the supervisor to be recorded as starting');
    const down = await runCli(['down'], { cwd: dir });
    expect(down).toMatchObject({ code: 0, stderr: 'ignite: stack stopped\n' });
    const result = await up.done;
    expect(result.code).toBe(130);
    expect(result.stderr).not.toContain('running in the background');
    expect((await runCli(['ps'], { cwd: dir })).code).toBe(1);
  });
});

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (let delay = 5; !check(); delay = Math.min(delay * 2, 50)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
