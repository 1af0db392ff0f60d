import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/procs.js';
import { CLI, removeDir, runCli, scratchProject, startCli, waitForOutput } from './cli.js';

let dir = '';

function project(name: string): string {
  dir = scratchProject(name, 'hangup/ignite.config.mjs');
  return dir;
}

afterEach(async () => {
  await runCli(['down'], { cwd: dir });
  removeDir(dir);
});

describe('when nobody is left to see the output', () => {
  it('`ignite up | head -1`: the stack stops gracefully, its files are removed, exit 0', () => {
    const cwd = project('epipe');
    const piped = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" up --output plain | head -1`], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', CI: 'true' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(piped.stdout).toMatch(/^listener ● started \(pid \d+\)\n$/);
    expect(piped.stderr).toBe('ignite: the reader of the output went away; stopping the stack\n');
    expect(piped.status).toBe(0);
    expect(readFileSync(join(cwd, 'stopped'), 'utf8')).toBe('stopped\n');
    expect(existsSync(join(cwd, '.ignite/run/state.json'))).toBe(false);
    expect(existsSync(join(cwd, '.ignite/run/control.sock'))).toBe(false);
  });
});

describe('SIGHUP to a detached supervisor', () => {
  it('goes to the tasks (rewritten by `signals` like SIGUSR2) instead of stopping the stack', async () => {
    const cwd = project('sighup');
    expect((await runCli(['up', '-d'], { cwd })).code).toBe(0);
    const rows = JSON.parse((await runCli(['ps', '--json'], { cwd })).stdout) as { pid: number }[];
    const supervisor = (JSON.parse(readFileSync(join(cwd, '.ignite/run/state.json'), 'utf8')) as { supervisorPid: number }).supervisorPid;
    const log = join(cwd, '.ignite/logs/listener.log');
    process.kill(supervisor, 'SIGHUP');
    await waitForOutput(() => readFileSync(log, 'utf8'), (text) => text.includes('got HUP'));
    process.kill(supervisor, 'SIGUSR2');
    await waitForOutput(() => readFileSync(log, 'utf8'), (text) => text.includes('got USR1'));
    expect(isAlive(supervisor)).toBe(true);
    expect((await runCli(['down'], { cwd })).code).toBe(0);
    expect(isAlive(rows[0]?.pid ?? 0)).toBe(false);
  });
});

describe('SIGQUIT (Ctrl+\\) stops the stack gracefully, as SIGTERM does', () => {
  it('a foreground `up`: the task gets its stop signal, the files are removed, exit 0', async () => {
    const cwd = project('sigquit-fg');
    const up = startCli(['up', '--output', 'plain'], { cwd });
    await waitForOutput(up.stdout, (text) => text.includes('listener ● ready'));
    up.child.kill('SIGQUIT');
    const result = await up.done;
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(readFileSync(join(cwd, 'stopped'), 'utf8')).toBe('stopped\n');
    expect(existsSync(join(cwd, '.ignite/run/state.json'))).toBe(false);
    expect(existsSync(join(cwd, '.ignite/run/control.sock'))).toBe(false);
  });

  it('a detached supervisor: stops its tasks and removes its files instead of dying at once', async () => {
    const cwd = project('sigquit-bg');
    expect((await runCli(['up', '-d'], { cwd })).code).toBe(0);
    const supervisor = (JSON.parse(readFileSync(join(cwd, '.ignite/run/state.json'), 'utf8')) as { supervisorPid: number }).supervisorPid;
    process.kill(supervisor, 'SIGQUIT');
    await waitForOutput(() => String(isAlive(supervisor)), (alive) => alive === 'false');
    expect(readFileSync(join(cwd, '.ignite/ignite.log'), 'utf8')).toMatch(/listener ■ stopped/);
    expect(existsSync(join(cwd, '.ignite/run/state.json'))).toBe(false);
    expect(existsSync(join(cwd, '.ignite/run/control.sock'))).toBe(false);
  });
});
