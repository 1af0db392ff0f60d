import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareReady, startHealth } from '../../../src/ready/index.js';
import type { HealthReport, ReadySpec } from '../../../src/ready/types.js';
import { later, makeHealthRun, makeRun, until } from '../../fixtures/ready/run.js';
import { freePort, hasIpv6Loopback } from '../../helpers/net.js';
import { ready } from '../../../src/index.js';

const options = { task: 'api', runDir: '/nonexistent', cwd: process.cwd() };
const servers: (Server | HttpServer)[] = [];
const cleanups: (() => void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await Promise.all(servers.splice(0).map(close));
});

function close(server: Server | HttpServer): Promise<void> {
  if ('closeAllConnections' in server) server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function listen(server: Server | HttpServer, port = 0, host = '127.0.0.1'): Promise<number> {
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}

/** A port that nothing listens on right now. */
/** A tcp health check (`check` for the port of a server on `host`) connects once per report, no more. */
async function expectOneConnectionPerCheck(host: string | undefined, check: (port: number) => ReadySpec): Promise<void> {
  let connections = 0;
  const port = await listen(createServer((socket) => (connections++, socket.destroy())), 0, host);
  const reports: HealthReport[] = [];
  const handle = startHealth({ check: check(port), intervalMs: 10, timeoutMs: 500, retries: 1, startPeriodMs: 0 }, makeHealthRun(), (r) => reports.push(r));
  cleanups.push(() => handle.stop());
  await until(() => reports.length >= 3, 3000, 'three reports');
  handle.stop();
  expect(reports.every((r) => r.healthy)).toBe(true);
  await until(() => connections >= reports.length, 1000, 'the server to see each check');
  expect(connections).toBe(reports.length);
}

async function wait(spec: ReadySpec, timeoutMs = 5000, signal?: AbortSignal) {
  const prepared = await prepareReady(spec, options);
  return prepared.wait(makeRun({ timeoutMs, ...(signal ? { signal } : {}) }));
}

describe('ready.tcp', () => {
  it('passes only once the port accepts connections', async () => {
    const port = await freePort();
    let listeningAt = 0;
    later(150, () => {
      void listen(createServer((socket) => socket.destroy()), port).then(() => (listeningAt = Date.now()));
    });
    const result = await wait(ready.tcp(port));
    expect(result.ok).toBe(true);
    expect(listeningAt).toBeGreaterThan(0);
  });

  it('times out naming the port', async () => {
    const port = await freePort();
    const result = await wait(ready.tcp(port), 150);
    expect(result).toMatchObject({ ok: false, error: { reason: 'ready-timeout', task: 'api', strategy: `tcp:${port}`, timeoutMs: 150 } });
  });
});

// Node ≥ 17 servers listening on 'localhost' bind ::1 where localhost resolves to it first (macOS, many Linux /etc/hosts)
describe.skipIf(!(await hasIpv6Loopback()))('ready.tcp(port) and a server on the IPv6 loopback only', () => {
  it('passes, as a ready check and as a health check', async () => {
    const port = await listen(createServer((socket) => socket.destroy()), 0, '::1');
    expect((await wait(ready.tcp(port), 3000)).ok).toBe(true);
    const reports: HealthReport[] = [];
    const handle = startHealth({ check: ready.tcp(port), intervalMs: 10, timeoutMs: 500, retries: 1, startPeriodMs: 0 }, makeHealthRun(), (r) => reports.push(r));
    cleanups.push(() => handle.stop());
    await until(() => reports.length >= 1, 3000, 'a health report');
    expect(reports[0]).toEqual({ healthy: true, failures: 0, message: undefined, unhealthy: false });
  });

  it('keeps an explicit host: { host: "127.0.0.1" } does not pass on ::1', async () => {
    const port = await listen(createServer((socket) => socket.destroy()), 0, '::1');
    const result = await wait(ready.tcp({ host: '127.0.0.1', port }), 150);
    expect(result).toMatchObject({ ok: false, error: { strategy: `tcp:127.0.0.1:${port}`, lastCheck: `cannot connect to 127.0.0.1:${port}: ECONNREFUSED` } });
  });

  it('names both loopback addresses when neither answers', async () => {
    const port = await freePort('::1');
    const result = await wait(ready.tcp(port), 150);
    expect(result).toMatchObject({ ok: false, error: { strategy: `tcp:${port}`, lastCheck: `cannot connect to 127.0.0.1:${port} or [::1]:${port}: ECONNREFUSED` } });
  });

  it('connects once per check to a server on both loopbacks', async () => {
    await expectOneConnectionPerCheck('::', (port) => ready.tcp(port));
  });
});

describe('ready.http', () => {
  it('polls until the server answers with the expected status', async () => {
    let status = 503;
    let okSince = 0;
    const port = await listen(createHttpServer((_req, res) => res.writeHead(status).end('hi')));
    later(150, () => {
      okSince = Date.now();
      status = 204;
    });
    const result = await wait({ kind: 'http', url: `http://127.0.0.1:${port}/health`, status: undefined, method: 'GET', headers: {}, timeout: undefined });
    expect(result.ok).toBe(true);
    expect(okSince).toBeGreaterThan(0);
  });

  it('sends the method and headers and accepts a listed status', async () => {
    const seen: string[] = [];
    const port = await listen(
      createHttpServer((req, res) => {
        seen.push(`${req.method ?? ''} ${String(req.headers['x-probe'])}`);
        res.writeHead(401).end();
      }),
    );
    const spec: ReadySpec = { kind: 'http', url: `http://127.0.0.1:${port}/`, status: [200, 401], method: 'HEAD', headers: { 'x-probe': 'ignite' }, timeout: '1s' };
    expect((await wait(spec)).ok).toBe(true);
    expect(seen).toEqual(['HEAD ignite']);
  });

  it('sends a Host header to the server (a virtual host answers only to its name)', async () => {
    const seen: string[] = [];
    const port = await listen(
      createHttpServer((req, res) => {
        seen.push(String(req.headers.host));
        res.writeHead(req.headers.host === 'api.local' ? 200 : 404).end();
      }),
    );
    const spec: ReadySpec = { kind: 'http', url: `http://127.0.0.1:${port}/`, status: undefined, method: 'GET', headers: { Host: 'api.local' }, timeout: undefined };
    expect(await wait(spec, 1000)).toEqual({ ok: true, value: undefined });
    expect(seen).toEqual(['api.local']);
  });

  it('does not follow a redirect, and says what the last answer was at the deadline', async () => {
    const paths: string[] = [];
    const port = await listen(
      createHttpServer((req, res) => {
        paths.push(req.url ?? '');
        if (req.url === '/ok') res.writeHead(200).end();
        else res.writeHead(302, { location: '/ok' }).end();
      }),
    );
    const url = `http://127.0.0.1:${port}/`;
    const result = await wait({ kind: 'http', url, status: undefined, method: 'GET', headers: {}, timeout: undefined }, 200);
    expect(result).toMatchObject({ ok: false, error: { reason: 'ready-timeout', lastCheck: `GET ${url} answered 302, expected 2xx` } });
    expect(new Set(paths)).toEqual(new Set(['/']));
    expect((await wait({ kind: 'http', url, status: 302, method: 'GET', headers: {}, timeout: undefined })).ok).toBe(true);
  });

  it('says why a request failed: refused, or timed out', async () => {
    const refused = await freePort();
    const url = `http://127.0.0.1:${refused}/`;
    const result = await wait({ kind: 'http', url, status: undefined, method: 'GET', headers: {}, timeout: undefined }, 150);
    expect(result).toMatchObject({ ok: false, error: { reason: 'ready-timeout', lastCheck: `GET ${url} failed: ECONNREFUSED` } });
    const hung = await listen(createHttpServer(() => undefined));
    const slow = `http://127.0.0.1:${hung}/`;
    const timedOut = await wait({ kind: 'http', url: slow, status: undefined, method: 'GET', headers: {}, timeout: '50ms' }, 300);
    expect(timedOut).toMatchObject({ ok: false, error: { reason: 'ready-timeout', lastCheck: `GET ${slow} timed out after 50ms` } });
  });

  it('gives up on a request that hangs, and aborts promptly', async () => {
    const port = await listen(createHttpServer(() => undefined)); // never answers
    const controller = new AbortController();
    later(150, () => controller.abort());
    const started = Date.now();
    const result = await wait({ kind: 'http', url: `http://127.0.0.1:${port}/`, status: 200, method: 'GET', headers: {}, timeout: '50ms' }, 5000, controller.signal);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ ok: false, error: { reason: 'ready-error', message: 'aborted' } });
  });
});

describe('health over the network', () => {
  it('reaches unhealthy against a stopped server and recovers when it is back', async () => {
    const server = createHttpServer((_req, res) => res.writeHead(200).end());
    const port = await listen(server);
    const reports: HealthReport[] = [];
    const run = makeHealthRun();
    const handle = startHealth(
      {
        check: { kind: 'http', url: `http://127.0.0.1:${port}/`, status: 200, method: 'GET', headers: {}, timeout: undefined },
        intervalMs: 20,
        timeoutMs: 500,
        retries: 3,
        startPeriodMs: 0,
      },
      run,
      (report) => reports.push(report),
    );
    cleanups.push(() => handle.stop());
    await until(() => reports.some((r) => r.healthy), 3000, 'a healthy report');
    await close(server);
    servers.splice(servers.indexOf(server), 1);
    await until(() => reports.some((r) => r.unhealthy), 3000, 'an unhealthy report');
    const firstUnhealthy = reports.find((r) => r.unhealthy);
    expect(firstUnhealthy).toMatchObject({ healthy: false, failures: 3 });
    expect(firstUnhealthy?.message).toContain('ECONNREFUSED');
    const count = reports.length;
    await listen(createHttpServer((_req, res) => res.writeHead(200).end()), port);
    await until(() => reports.slice(count).some((r) => r.healthy), 3000, 'recovery');
    expect(reports.at(-1)).toEqual({ healthy: true, failures: 0, message: undefined, unhealthy: false });
  });

  it('checks a tcp port once per interval', async () => {
    await expectOneConnectionPerCheck(undefined, (port) => ({ kind: 'tcp', host: '127.0.0.1', port }));
  });
});
