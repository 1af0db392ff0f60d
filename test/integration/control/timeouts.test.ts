import { connect, type Socket } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startControlServer, type ControlServerHandle } from '../../../src/control/index.js';
import { createControlHttpServer } from '../../../src/control/listen.js';
import { DEFAULT_LIMITS } from '../../../src/control/types.js';
import { fakeApi, info, raw, tempDir } from './fake-api.js';

/** Everything the socket receives until it closes (at most 5 s). */
function answerOf(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no close within 5 s; got ${JSON.stringify(text)}`)), 5000);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

describe('control server timeouts', () => {
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(limits: Partial<typeof DEFAULT_LIMITS>): Promise<ControlServerHandle> {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const started = await startControlServer({ stateDir: dir.path, api: fakeApi(), logFiles: () => [], info, limits });
    if (!started.ok) throw new Error(started.error.message);
    cleanups.push(() => started.value.close());
    return started.value;
  }

  function open(handle: ControlServerHandle): Socket {
    const socket = connect({ path: handle.socketPath });
    socket.on('error', () => undefined);
    cleanups.push(() => void socket.destroy());
    return socket;
  }

  it('answers 408 and closes a connection whose request headers never finish', async () => {
    const handle = await start({ idleTimeoutMs: 2000, headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const socket = open(handle);
    const answer = answerOf(socket);
    socket.write('GET /v1/status HTTP/1.1\r\nHost: x\r\n');
    expect(await answer).toMatch(/^HTTP\/1.1 408/);
    expect((await raw({ socketPath: handle.socketPath }, 'GET', '/v1/status')).status).toBe(200);
  });

  it('closes a connection that never sends a byte without answering it', async () => {
    const handle = await start({ idleTimeoutMs: 300, headersTimeoutMs: 1000, requestTimeoutMs: 2000 });
    expect(await answerOf(open(handle))).toBe('');
  });

  it('serves a complete request at once under short header and request timeouts', async () => {
    const handle = await start({ idleTimeoutMs: 5000, headersTimeoutMs: 200, requestTimeoutMs: 400 });
    const started = Date.now();
    const response = await raw({ socketPath: handle.socketPath }, 'GET', '/v1/status');
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(400);
  });

  it('leaves no server-wide interval that wakes an idle process', () => {
    // Node keeps the option on the server; @types/node does not declare it
    const server: Server & { connectionsCheckingInterval?: number } = createControlHttpServer(DEFAULT_LIMITS, () => undefined);
    // Node reads the interval at `listening`; anything under a day would be a periodic wakeup
    expect(server.connectionsCheckingInterval).toBeGreaterThan(24 * 3600 * 1000);
    expect(server.headersTimeout).toBe(0);
    expect(server.requestTimeout).toBe(0);
  });
});
