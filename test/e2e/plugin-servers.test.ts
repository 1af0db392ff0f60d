import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/procs.js';
import { removeDir, runCli, scratchProject, startCli, waitForOutput } from './cli.js';

let dir = '';

function project(): string {
  dir = scratchProject('plugin-servers', 'plugin-servers/ignite.config.mjs');
  return dir;
}

afterEach(async () => {
  await runCli(['down'], { cwd: dir });
  removeDir(dir);
});

describe('control servers of plugins', () => {
  it('start with the stack, answer over the control API, and stop after its tasks', async () => {
    const cwd = project();
    const up = await runCli(['up', '-d'], { cwd });
    expect(up.code).toBe(0);
    const port = Number(readFileSync(join(cwd, 'port'), 'utf8'));
    const answer = await fetch(`http://127.0.0.1:${port}/`);
    expect(await answer.json()).toEqual([['idle', 'ready']]);
    const rows = JSON.parse((await runCli(['ps', '--json'], { cwd })).stdout) as { pid: number }[];
    const pid = rows[0]?.pid ?? 0;

    const down = await runCli(['down'], { cwd });
    expect(down.code).toBe(0);
    expect(readFileSync(join(cwd, 'stopped'), 'utf8')).toBe('stopped');
    expect(isAlive(pid)).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it('one that cannot start ends up with exit 1, naming the plugin, before any task runs', async () => {
    const cwd = project();
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = taken.address() as AddressInfo;
      const up = await runCli(['up'], { cwd, env: { PLUGIN_PORT: String(port) } });
      expect(up.code).toBe(1);
      expect(up.stderr).toContain(`the control server of plugin "status-page" failed to start: listen EADDRINUSE`);
      expect(up.stdout).not.toContain('idle');
      expect(existsSync(join(cwd, '.ignite/run/control.sock'))).toBe(false);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('up -d of a stack whose plugin server cannot start: exit 1 with the reason, not "stopped before its startup finished"', async () => {
    const cwd = project();
    const up = await runCli(['up', '-d'], { cwd, env: { PLUGIN_HANG: 'start', SHUTDOWN_TIMEOUT: '1s' }, timeoutMs: 10_000 });
    expect(up.stderr).toMatch(/^ignite: the background supervisor exited \(code 1\) before its startup finished:\n {2}ignite: the control server of plugin "status-page" failed to start: did not finish within 1\.0s \(shutdownTimeout\)$/m);
    expect(up.stderr).not.toContain('stopped before');
    expect(up.code).toBe(1);
  });

  it('one whose start() never settles ends up after shutdownTimeout, exit 1, before any task runs', async () => {
    const cwd = project();
    const began = Date.now();
    const up = await runCli(['up'], { cwd, env: { PLUGIN_HANG: 'start', SHUTDOWN_TIMEOUT: '1s' }, timeoutMs: 10_000 });
    expect(up.stderr).toContain('the control server of plugin "status-page" failed to start: did not finish within 1.0s (shutdownTimeout)');
    expect(up.code).toBe(1);
    expect(Date.now() - began).toBeLessThan(8000);
    expect(up.stdout).not.toContain('idle');
  });

  it('one whose stop() never settles holds neither a foreground up after Ctrl+C nor a down beyond shutdownTimeout', async () => {
    const cwd = project();
    const env = { PLUGIN_HANG: 'stop', SHUTDOWN_TIMEOUT: '1s' };
    const fg = startCli(['up'], { cwd, env, timeoutMs: 10_000 });
    await waitForOutput(fg.stdout, (text) => text.includes('idle ● ready'));
    fg.child.kill('SIGINT');
    const ended = await fg.done;
    expect(ended.stderr).toContain('the control server of plugin "status-page" failed to stop: did not finish within 1.0s (shutdownTimeout)');
    expect(ended.code).toBe(0);

    expect((await runCli(['up', '-d'], { cwd, env })).code).toBe(0);
    const rows = JSON.parse((await runCli(['ps', '--json'], { cwd })).stdout) as { pid: number }[];
    const down = await runCli(['down'], { cwd, env, timeoutMs: 10_000 });
    expect(down).toMatchObject({ code: 0, stdout: '', stderr: 'ignite: stack stopped\n' });
    expect(isAlive(rows[0]?.pid ?? 0)).toBe(false);
    expect(readFileSync(join(cwd, '.ignite/ignite.log'), 'utf8')).toContain('failed to stop: did not finish within 1.0s (shutdownTimeout)');
  });

  it.each(['throw', 'reject'])('an event listener that fails (%s) is reported once and the stack runs on', async (how) => {
    const cwd = project();
    const fg = startCli(['up', '--output', 'plain'], { cwd, env: { PLUGIN_LISTENER: how }, timeoutMs: 10_000 });
    await waitForOutput(fg.stdout, (text) => text.includes('idle ● ready'));
    const rows = JSON.parse((await runCli(['ps', '--json'], { cwd })).stdout) as { pid: number; state: string }[];
    expect(rows[0]?.state).toBe('ready');
    fg.child.kill('SIGINT');
    const ended = await fg.done;
    expect(ended.code).toBe(0);
    const said = ended.stderr.split('\n').filter((line) => line.includes('event listener'));
    expect(said).toEqual(['ignite: the control server of plugin "status-page": its event listener failed: feed broke (said once; events keep coming to it)']);
    expect(ended.stderr).not.toContain('internal error');
    expect(ended.stdout).toContain('idle ■ stopped');
    expect(isAlive(rows[0]?.pid ?? 0)).toBe(false);
  });
});
