import { connect, type Socket } from 'node:net';
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ControlClient, startControlServer, type ControlServerHandle } from '../../../src/control/index.js';
import { errorReason, fakeApi, info, raw, tempDir, type FakeApi } from './fake-api.js';

describe('control server under hostile requests', () => {
  let dir: ReturnType<typeof tempDir>;
  let api: FakeApi;
  let handle: ControlServerHandle;
  let target: { socketPath: string };
  const sockets: Socket[] = [];

  beforeEach(async () => {
    dir = tempDir();
    api = fakeApi();
    const limits = { maxConnections: 20, idleTimeoutMs: 400, headersTimeoutMs: 400, requestTimeoutMs: 800 };
    const started = await startControlServer({ stateDir: dir.path, api, logFiles: () => [], info, limits });
    if (!started.ok) throw new Error(started.error.message);
    handle = started.value;
    target = { socketPath: handle.socketPath };
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await handle.close();
    dir.remove();
  });

  async function stillServes(): Promise<void> {
    const status = await raw(target, 'GET', '/v1/status');
    expect(status.status).toBe(200);
  }

  const post = (path: string, body: string) => raw(target, 'POST', path, { body, headers: { 'content-type': 'application/json' } });

  it('answers invalid JSON with 400 and a message', async () => {
    const response = await post('/v1/start', '{"patterns": [');
    expect(response.status).toBe(400);
    expect(errorReason(response)).toBe('invalid-json');
    expect((response.json as { error: { message: string } }).error.message).toMatch(/^the request body is not valid JSON/);
    expect(api.calls).toEqual([]);
    await stillServes();
  });

  it('answers a body that is not an object, or has wrong types or extra keys, with 400 naming the field', async () => {
    for (const body of ['[]', '"x"', '{"patterns": "api"}', '{"patterns": [1]}', '{"patterns": [], "extra": 1}', '{"patterns": ["a"], "signal": "SIGSEGVX"}']) {
      const response = await post(body.includes('signal') ? '/v1/kill' : '/v1/start', body);
      expect(response.status, body).toBe(400);
      expect(errorReason(response)).toBe('invalid-request');
    }
    const missing = await post('/v1/start', '{"patterns": [1]}');
    expect((missing.json as { error: { message: string } }).error.message).toMatch(/^patterns\[0\]: /);
    expect(api.calls).toEqual([]);
    await stillServes();
  });

  it('answers a 10 MB body with 413 without reading it', async () => {
    const declared = await new Promise<number>((resolve, reject) => {
      const req = request({ ...target, method: 'POST', path: '/v1/start', headers: { 'content-length': 10 * 1024 * 1024 } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write('{"patterns": [');
    });
    expect(declared).toBe(413);
    const chunked = await new Promise<number | string>((resolve) => {
      const req = request({ ...target, method: 'POST', path: '/v1/start' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      req.end(Buffer.alloc(10 * 1024 * 1024, 0x20));
    });
    // The server answers 413 and closes; the client may see the answer or the reset, whichever comes first.
    expect([413, 'EPIPE', 'ECONNRESET']).toContain(chunked);
    expect(api.calls).toEqual([]);
    await stillServes();
  });

  it('answers unknown routes with 404 and wrong methods with 405', async () => {
    expect((await raw(target, 'GET', '/v1/nope')).status).toBe(404);
    expect((await raw(target, 'GET', '/v1/constructor')).status).toBe(404);
    expect((await raw(target, 'GET', '/__proto__')).status).toBe(404);
    expect((await raw(target, 'GET', '/v1/../v1/status/..%2f..%2f')).status).toBe(404);
    const wrong = await raw(target, 'GET', '/v1/start');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
    expect((await raw(target, 'DELETE', '/v1/status')).status).toBe(405);
    await stillServes();
  });

  it('does not let __proto__ keys pollute any prototype', async () => {
    const response = await post('/v1/start', '{"__proto__": {"polluted": 1}, "patterns": []}');
    expect(response.status).toBe(400);
    const nested = await post('/v1/kill', '{"patterns": ["api"], "constructor": {"prototype": {"polluted": 1}}}');
    expect(nested.status).toBe(400);
    const query = await raw(target, 'GET', '/v1/status?__proto__[polluted]=1&pattern=__proto__');
    expect(query.status).toBe(404);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    await stillServes();
  });

  it('treats ../ and __proto__ in names as plain strings that match nothing', async () => {
    const client = await ControlClient.connect(dir.path);
    if (!client.ok) throw new Error(client.error.message);
    for (const name of ['../../etc/passwd', '__proto__', 'constructor', 'toString']) {
      const result = await client.value.logs({ patterns: [name], lines: 5 });
      expect(!result.ok && result.error.reason === 'server-error' && result.error.code, name).toBe('no-match');
      const restart = await client.value.restart([name]);
      expect(!restart.ok && restart.error.reason === 'server-error' && restart.error.code, name).toBe('no-match');
    }
    await stillServes();
  });

  it('rejects a 100k-character pattern (413), a long one, too many patterns and bad line counts (400)', async () => {
    const long = await post('/v1/stop', JSON.stringify({ patterns: ['a'.repeat(100_000)] }));
    expect(long.status).toBe(413);
    const body = await post('/v1/stop', JSON.stringify({ patterns: ['a'.repeat(1000)] }));
    expect(body.status).toBe(400);
    expect((body.json as { error: { message: string } }).error.message).toContain('at most 256 characters');
    const query = await raw(target, 'GET', `/v1/status?pattern=${'b'.repeat(10_000)}`);
    expect(query.status).toBe(400);
    const many = await post('/v1/stop', JSON.stringify({ patterns: Array.from({ length: 101 }, (_, i) => `t${i}`) }));
    expect(many.status).toBe(400);
    const lines = await raw(target, 'GET', '/v1/logs?lines=-1');
    expect(lines.status).toBe(400);
    const huge = await raw(target, 'GET', `/v1/status?pattern=${'c'.repeat(20_000)}`);
    expect(huge.status).toBe(431);
    expect(api.calls).toEqual([]);
    await stillServes();
  });

  it('answers an engine that throws with a 500 and keeps serving', async () => {
    api.restart = () => Promise.reject(new Error('boom'));
    const response = await post('/v1/restart', '{"patterns": ["api"]}');
    expect(response.status).toBe(500);
    expect((response.json as { error: { message: string } }).error.message).toBe('internal error — please report: boom');
    await stillServes();
  });

  // retry: this timed out once in a full CI run under load (not reproduced in 35 runs since); the
  // steps are bounded and named so the next occurrence says which one never happened.
  it('drops idle connections after the idle timeout and keeps serving past the connection limit', { retry: 2 }, async () => {
    for (let i = 0; i < 30; i++) {
      const socket = connect({ path: handle.socketPath });
      socket.on('error', () => undefined);
      sockets.push(socket);
    }
    const closed = sockets.map((socket) => new Promise((resolve) => socket.once('close', resolve)));
    // Connections over the limit close the oldest idle ones at once, the rest go at the idle timeout.
    await step('every idle connection closed', Promise.all(closed));
    await step('serves after the idle connections', stillServes());
    const half = connect({ path: handle.socketPath });
    half.on('error', () => undefined);
    sockets.push(half);
    half.write('POST /v1/start HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"pat');
    const answer = await step(
      'a 408 for the half-sent request',
      new Promise<string>((resolve) => {
        let text = '';
        half.on('data', (chunk: Buffer) => (text += chunk.toString()));
        half.once('close', () => resolve(text));
      }),
    );
    expect(answer).toMatch(/^HTTP\/1.1 408/);
    await step('serves after the half-sent request', stillServes());
  });
});

/** Waits at most 8 s for `promise`, failing with the name of the step that never happened. */
async function step<T>(name: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for: ${name}`)), 8000);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
