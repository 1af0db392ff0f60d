import { connect, createServer, type Server, type Socket } from 'node:net';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ControlClient,
  processStartTime,
  startControlServer,
  writeStateFile,
  type ControlServerHandle,
} from '../../../src/control/index.js';
import { fakeApi, info, raw, tempDir } from './fake-api.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function temp(): string {
  const dir = tempDir();
  cleanups.push(dir.remove);
  return dir.path;
}

async function serve(stateDir: string, limits: { maxConnections: number; idleTimeoutMs: number }): Promise<ControlServerHandle> {
  const api = fakeApi();
  const started = await startControlServer({ stateDir, api, logFiles: () => [], info, limits });
  if (!started.ok) throw new Error(started.error.message);
  cleanups.push(() => started.value.close());
  return started.value;
}

function open(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path });
    cleanups.push(() => void socket.destroy());
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

const closed = (socket: Socket): Promise<void> => new Promise((resolve) => socket.once('close', () => resolve()));

/** A server on the control socket that accepts and at once resets every connection. */
async function resettingServer(stateDir: string): Promise<{ server: Server; accepted: () => number }> {
  mkdirSync(join(stateDir, 'run'), { recursive: true, mode: 0o700 });
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(join(stateDir, 'run', 'control.sock'), resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { server, accepted: () => accepted };
}

describe('control server connection policy', () => {
  it('at the limit, a new connection closes the longest-idle one and is served', async () => {
    const handle = await serve(temp(), { maxConnections: 3, idleTimeoutMs: 10_000 });
    const [oldest, middle, newest] = [await open(handle.socketPath), await open(handle.socketPath), await open(handle.socketPath)];
    const oldestClosed = closed(oldest);
    const answer = await raw({ socketPath: handle.socketPath }, 'GET', '/v1/status');
    expect(answer.status).toBe(200);
    await oldestClosed;
    expect([middle.destroyed, newest.destroyed]).toEqual([false, false]);
  });

  it('never cuts a connection mid-request: refuses a newcomer only when every connection is busy', async () => {
    const handle = await serve(temp(), { maxConnections: 2, idleTimeoutMs: 10_000 });
    const streams = [await open(handle.socketPath), await open(handle.socketPath)];
    for (const s of streams) s.write('GET /v1/events HTTP/1.1\r\nHost: x\r\n\r\n');
    await Promise.all(streams.map((s) => new Promise((resolve) => s.once('data', resolve))));
    const refused = await raw({ socketPath: handle.socketPath }, 'GET', '/v1/status').then(
      () => 'answered',
      (error: unknown) => (error as NodeJS.ErrnoException).code,
    );
    expect(refused).toMatch(/ECONNRESET|EPIPE/);
    expect(streams.map((s) => s.destroyed)).toEqual([false, false]);
  });

  it('closes a connection that sends no request within the idle timeout', async () => {
    const handle = await serve(temp(), { maxConnections: 10, idleTimeoutMs: 200 });
    const socket = await open(handle.socketPath);
    const t0 = Date.now();
    await closed(socket);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('answers a client past 200 idle connections', async () => {
    const handle = await serve(temp(), { maxConnections: 512, idleTimeoutMs: 10_000 });
    for (let i = 0; i < 200; i++) await open(handle.socketPath);
    const answer = await raw({ socketPath: handle.socketPath }, 'GET', '/v1/status');
    expect(answer.status).toBe(200);
  });
});

describe('control client: not running versus not answering', () => {
  it('says not-running when no socket exists and no supervisor is recorded', async () => {
    const client = await ControlClient.connect(temp());
    expect(!client.ok && client.error.reason).toBe('not-running');
  });

  it('says not-running when the socket file is left but nobody listens (ECONNREFUSED)', async () => {
    const stateDir = temp();
    const path = join(stateDir, 'run', 'control.sock');
    mkdirSync(join(stateDir, 'run'), { mode: 0o700 });
    // A server killed with SIGKILL leaves its socket file behind.
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(() => void child.kill('SIGKILL'));
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(existsSync(path)).toBe(true);
    const client = await ControlClient.connect(stateDir);
    expect(!client.ok && client.error.reason).toBe('not-running');
  });

  it('retries a server that resets, then says not-answering (busy?), never not-running', async () => {
    const stateDir = temp();
    const fake = await resettingServer(stateDir);
    const client = await ControlClient.connect(stateDir);
    expect(client.ok).toBe(false);
    if (client.ok) return;
    expect(client.error.reason).toBe('not-answering');
    expect(client.error.message).toMatch(/is not answering \(busy\?\)/);
    expect(fake.accepted()).toBe(3);
  });

  it('says not-answering when the socket is gone but the recorded supervisor is alive', async () => {
    const stateDir = temp();
    const written = await writeStateFile(stateDir, {
      supervisorPid: process.pid,
      supervisorStart: processStartTime(process.pid) ?? 0,
      configFile: '/x/ignite.config.ts',
      children: [],
    });
    expect(written.ok).toBe(true);
    const client = await ControlClient.connect(stateDir);
    expect(!client.ok && client.error).toMatchObject({ reason: 'not-answering', pid: process.pid });
  });

  it('does not take over a socket whose owner is alive but resets connections', async () => {
    const stateDir = temp();
    await resettingServer(stateDir);
    const second = await startControlServer({ stateDir, api: fakeApi(), logFiles: () => [], info });
    expect(!second.ok && second.error.reason).toBe('already-running');
  });
});
