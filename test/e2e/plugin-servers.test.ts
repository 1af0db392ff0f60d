import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/procs.js';
import { removeDir, runCli, scratchProject } from './cli.js';

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
});
