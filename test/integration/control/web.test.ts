import { Script } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startControlServer, type ControlServerHandle } from '../../../src/control/index.js';
import { errorReason, fakeApi, info, raw, tempDir, type FakeApi } from './fake-api.js';

const TOKEN = 'web-test-token';
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

describe('the web page on the TCP listener', () => {
  let dir: ReturnType<typeof tempDir>;
  let api: FakeApi;
  let handle: ControlServerHandle;
  let port: number;
  const tcp = () => ({ host: '127.0.0.1', port });
  /** What a browser sends from the page at http://<name>:<port>/. */
  const browser = (name = '127.0.0.1', extra: Record<string, string> = {}) => ({
    host: `${name}:${port}`,
    origin: `http://${name}:${port}`,
    ...extra,
  });
  const bearer = { authorization: `Bearer ${TOKEN}` };

  beforeEach(async () => {
    dir = tempDir();
    api = fakeApi();
    const started = await startControlServer({
      stateDir: dir.path,
      api,
      logFiles: () => [],
      info,
      http: { host: '127.0.0.1', port: 0, token: TOKEN, tokenFile: `${dir.path}/control.token` },
    });
    if (!started.ok) throw new Error(started.error.message);
    handle = started.value;
    port = Number(new URL(handle.httpUrl ?? 'http://missing').port);
  });

  afterEach(async () => {
    await handle.close();
    dir.remove();
  });

  it('serves the page, its script and its style without a token, with the browser security headers', async () => {
    for (const [path, type] of [['/', 'text/html'], ['/app.js', 'text/javascript'], ['/app.css', 'text/css']] as const) {
      const response = await raw(tcp(), 'GET', path);
      expect(response.status, path).toBe(200);
      expect(response.headers['content-type']).toBe(`${type}; charset=utf-8`);
      expect(response.headers['content-security-policy']).toBe(CSP);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(Number(response.headers['content-length'])).toBe(Buffer.byteLength(response.text));
    }
    const page = await raw(tcp(), 'GET', '/?from=bookmark', { headers: { host: `localhost:${port}` } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<script src="/app.js" defer></script>');
    expect(page.text).toContain('<link rel="stylesheet" href="/app.css">');
    expect(page.text).not.toMatch(/https?:\/\/|<script>|style=/);
  });

  it('ships a script that parses and writes data with textContent only', async () => {
    const script = (await raw(tcp(), 'GET', '/app.js')).text;
    expect(() => new Script(script)).not.toThrow();
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    expect(script).toContain("history.replaceState(null, '', location.pathname + location.search)");
    expect(script.split('\n').length).toBeLessThan(250);
  });

  it('refuses the page under another Host (DNS rebinding) and other methods on it', async () => {
    const rebound = await raw(tcp(), 'GET', '/', { headers: { host: `evil.example:${port}` } });
    expect(rebound.status).toBe(403);
    expect(errorReason(rebound)).toBe('forbidden');
    const post = await raw(tcp(), 'POST', '/app.js');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
  });

  it('reads a target starting with // as a path, not as a host', async () => {
    expect((await raw(tcp(), 'GET', '//app.js', { headers: browser() })).status).toBe(401);
    expect((await raw(tcp(), 'GET', '//evil/v1/status', { headers: bearer })).status).toBe(404);
  });

  it('answers the API to the own origin with the token, on 127.0.0.1 and on localhost', async () => {
    for (const name of ['127.0.0.1', 'localhost']) {
      const response = await raw(tcp(), 'GET', '/v1/status', { headers: { ...browser(name), ...bearer } });
      expect(response.status, name).toBe(200);
      expect((response.json as { tasks: unknown[] }).tasks).toHaveLength(4);
      expect(response.headers['content-security-policy']).toBe(CSP);
    }
  });

  it('refuses a foreign Origin, even with the token', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, 'null']) {
      const response = await raw(tcp(), 'GET', '/v1/status', { headers: { ...browser(), origin, ...bearer } });
      expect(response.status, origin).toBe(403);
      expect(errorReason(response)).toBe('forbidden');
    }
    const post = await raw(tcp(), 'POST', '/v1/stop', { headers: { origin: 'http://evil.example', ...bearer }, body: '{"patterns":["api"]}' });
    expect(post.status).toBe(403);
    expect(api.calls).toEqual([]);
  });

  it('refuses the own Origin when the Host header names something else', async () => {
    for (const host of [`evil.example:${port}`, `localhost:${port}`, `127.0.0.1:${port + 1}`]) {
      const response = await raw(tcp(), 'GET', '/v1/status', { headers: { ...browser(), host, ...bearer } });
      expect(response.status, host).toBe(403);
    }
  });

  it('still demands the token from the own origin', async () => {
    const response = await raw(tcp(), 'GET', '/v1/status', { headers: browser() });
    expect(response.status).toBe(401);
    expect(errorReason(response)).toBe('unauthorized');
  });

  it('runs a stop posted from the own origin', async () => {
    const response = await raw(tcp(), 'POST', '/v1/stop', {
      headers: { ...browser(), ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ patterns: ['api'] }),
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ ok: true, tasks: [], status: [] });
    expect(api.calls).toEqual([{ op: 'stop', patterns: ['api'] }]);
  });

  it('keeps the Unix socket an API only: no page there', async () => {
    const response = await raw({ socketPath: handle.socketPath }, 'GET', '/');
    expect(response.status).toBe(404);
  });
});
