import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startControlServer, type ControlServerHandle } from '../../../src/control/index.js';
import { errorReason, fakeApi, info, raw, tempDir } from './fake-api.js';

describe('TCP control listener', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function serve(http: { host: string; token: string | undefined }): Promise<{ handle: ControlServerHandle; tokenFile: string }> {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const tokenFile = join(dir.path, 'secrets', 'control.token');
    const started = await startControlServer({
      stateDir: dir.path,
      api: fakeApi(),
      logFiles: () => [],
      info,
      http: { ...http, port: 0, tokenFile },
    });
    if (!started.ok) throw new Error(started.error.message);
    cleanups.push(() => started.value.close());
    return { handle: started.value, tokenFile };
  }

  const target = (handle: ControlServerHandle) => {
    const url = new URL(handle.httpUrl ?? 'http://missing');
    return { host: url.hostname, port: Number(url.port) };
  };

  it('generates a token into a 0600 file and demands it as a bearer token on 127.0.0.1', async () => {
    const { handle, tokenFile } = await serve({ host: '127.0.0.1', token: undefined });
    expect(handle.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(tokenFile, '..')).mode & 0o777).toBe(0o700);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(token).toMatch(/^[0-9a-f]{64}$/);

    const none = await raw(target(handle), 'GET', '/v1/status');
    expect(none.status).toBe(401);
    expect(errorReason(none)).toBe('unauthorized');
    expect(none.headers['www-authenticate']).toBe('Bearer');
    const wrong = await raw(target(handle), 'GET', '/v1/status', { headers: { authorization: `Bearer ${token.slice(1)}x` } });
    expect(wrong.status).toBe(401);
    const short = await raw(target(handle), 'GET', '/v1/status', { headers: { authorization: 'Bearer x' } });
    expect(short.status).toBe(401);
    const basic = await raw(target(handle), 'GET', '/v1/status', { headers: { authorization: `Basic ${token}` } });
    expect(basic.status).toBe(401);
    const right = await raw(target(handle), 'GET', '/v1/status', { headers: { authorization: `Bearer ${token}` } });
    expect(right.status).toBe(200);
    expect((right.json as { tasks: unknown[] }).tasks).toHaveLength(4);
    const info = await raw(target(handle), 'GET', '/v1/info', { headers: { authorization: `Bearer ${token}` } });
    expect((info.json as { httpUrl: string }).httpUrl).toBe(handle.httpUrl);
  });

  it('leaves the running token file alone when a second start on the same state dir is refused', async () => {
    const { handle, tokenFile } = await serve({ host: '127.0.0.1', token: undefined });
    const before = readFileSync(tokenFile, 'utf8');
    const second = await startControlServer({
      stateDir: join(tokenFile, '..', '..'),
      api: fakeApi(),
      logFiles: () => [],
      info,
      http: { host: '127.0.0.1', port: 0, token: undefined, tokenFile },
    });
    expect(!second.ok && second.error.reason).toBe('already-running');
    expect(readFileSync(tokenFile, 'utf8')).toBe(before);
    expect(handle.httpUrl).toBeDefined();
  });

  it('uses a configured token and writes no token file', async () => {
    const { handle, tokenFile } = await serve({ host: '127.0.0.1', token: 's3cret' });
    expect(() => statSync(tokenFile)).toThrow();
    const right = await raw(target(handle), 'GET', '/v1/status', { headers: { authorization: 'Bearer s3cret' } });
    expect(right.status).toBe(200);
  });

  it('refuses browser requests that carry an Origin header, even with the token', async () => {
    const { handle } = await serve({ host: '127.0.0.1', token: 's3cret' });
    const response = await raw(target(handle), 'GET', '/v1/status', { headers: { authorization: 'Bearer s3cret', origin: 'http://evil.example' } });
    expect(response.status).toBe(403);
  });

  it('refuses to bind a non-loopback host without an explicit token, before creating anything', async () => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    const tokenFile = join(dir.path, 'control.token');
    const started = await startControlServer({
      stateDir: join(dir.path, 'state'),
      api: fakeApi(),
      logFiles: () => [],
      info,
      http: { host: '0.0.0.0', port: 0, token: undefined, tokenFile },
    });
    expect(started.ok).toBe(false);
    if (started.ok) return;
    expect(started.error.reason).toBe('insecure-http');
    expect(started.error.message).toContain('control.http.token');
    expect(() => statSync(join(dir.path, 'state'))).toThrow();
  });
});
