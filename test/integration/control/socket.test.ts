import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlClient, startControlServer, type ControlServerHandle } from '../../../src/control/index.js';
import { fakeApi, info, tempDir } from './fake-api.js';

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('control socket', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function serve(stateDir: string): Promise<ControlServerHandle> {
    const started = await startControlServer({ stateDir, api: fakeApi(), logFiles: () => [], info });
    if (!started.ok) throw new Error(started.error.message);
    cleanups.push(() => started.value.close());
    return started.value;
  }

  function temp(prefix?: string): string {
    const dir = tempDir(prefix);
    cleanups.push(dir.remove);
    return dir.path;
  }

  for (const umask of [0o022, 0o002]) {
    it(`creates a 0700 directory and a 0600 socket under umask ${umask.toString(8).padStart(3, '0')}`, async () => {
      const previous = process.umask(umask);
      cleanups.push(() => void process.umask(previous));
      const stateDir = join(temp(), '.ignite');
      const handle = await serve(stateDir);
      expect(handle.socketPath).toBe(join(stateDir, 'run', 'control.sock'));
      expect(mode(join(stateDir, 'run'))).toBe(0o700);
      expect(statSync(handle.socketPath).isSocket()).toBe(true);
      expect(mode(handle.socketPath)).toBe(0o600);
      // The umask is back to what the test set (the server only narrows it around listen()).
      expect(process.umask(umask)).toBe(umask);
    });
  }

  it('tightens an existing run directory that is too open', async () => {
    const stateDir = temp();
    mkdirSync(join(stateDir, 'run'), { mode: 0o755 });
    await serve(stateDir);
    expect(mode(join(stateDir, 'run'))).toBe(0o700);
  });

  it('refuses a second server on the same state dir while the first runs, touching nothing', async () => {
    const stateDir = temp();
    const first = await serve(stateDir);
    const second = await startControlServer({ stateDir, api: fakeApi(), logFiles: () => [], info: { ...info, pid: 1 } });
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.error).toMatchObject({ reason: 'already-running', pid: process.pid, socketPath: first.socketPath });
    expect(second.error.message).toContain(`pid ${process.pid}`);
    const client = await ControlClient.connect(stateDir);
    expect(client.ok).toBe(true);
  });

  it('replaces a stale socket left by a dead server', async () => {
    const stateDir = temp();
    const run = join(stateDir, 'run');
    mkdirSync(run, { mode: 0o700 });
    const path = join(run, 'control.sock');
    // A server killed with SIGKILL leaves its socket file behind.
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(() => void child.kill('SIGKILL'));
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(existsSync(path)).toBe(true);
    const handle = await serve(stateDir);
    expect(handle.socketPath).toBe(path);
    const client = await ControlClient.connect(stateDir);
    expect(client.ok).toBe(true);
  });

  it('uses a private fallback socket under the temp dir when the path is too long, and the client finds it', async () => {
    const stateDir = join(temp(), 'a'.repeat(60), 'b'.repeat(60), '.ignite');
    const handle = await serve(stateDir);
    expect(handle.socketPath.startsWith(tmpdir())).toBe(true);
    expect(Buffer.byteLength(handle.socketPath)).toBeLessThan(108);
    expect(handle.socketPath).not.toContain(stateDir);
    expect(mode(join(handle.socketPath, '..'))).toBe(0o700);
    expect(mode(handle.socketPath)).toBe(0o600);
    expect(readFileSync(join(stateDir, 'run', 'control.path'), 'utf8').trim()).toBe(handle.socketPath);
    expect(mode(join(stateDir, 'run', 'control.path'))).toBe(0o600);
    const client = await ControlClient.connect(stateDir);
    expect(client.ok && client.value.socketPath).toBe(handle.socketPath);
    await handle.close();
    expect(existsSync(join(stateDir, 'run', 'control.path'))).toBe(false);
  });

  it('removes its socket on close, after which the client says no stack is running', async () => {
    const stateDir = temp();
    const handle = await serve(stateDir);
    await handle.close();
    expect(existsSync(handle.socketPath)).toBe(false);
    const client = await ControlClient.connect(stateDir);
    expect(client.ok).toBe(false);
    if (client.ok) return;
    expect(client.error).toMatchObject({ reason: 'not-running', stateDir });
    expect(client.error.message).toBe(`no ignite stack is running for ${stateDir} (start one with \`npx --no ignite up -d\`)`);
  });
});
