import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, isLive, liveTagged, useFaults } from './harness.js';
import { request } from './lib/http.js';
import { freePort } from '../helpers/net.js';

const fault = useFaults();
const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8).padStart(3, '0');

function oneTask(extra = ''): void {
  fault().writeConfig(`${extra} tasks: [{ name: 'svc', command: ['sleep', '1000'] }]`);
}

async function upDetached(options: { shellPrefix?: string } = {}): Promise<number> {
  const up = await fault().run(['up', '-d'], options);
  expect(up.code, up.stderr).toBe(0);
  const daemon = liveTagged(fault().tag).find((p) => p.cmdline.includes(CLI));
  expect(daemon).toBeDefined();
  return daemon?.pid ?? -1;
}

describe('control socket permissions', () => {
  it.each(['022', '002', '000'])('keeps the run dir 0700 and socket/state 0600 under umask %s', async (umask) => {
    // Setup: a detached stack started under a permissive umask.
    oneTask();
    // Fault: the umask would make new files group/world writable.
    await upDetached({ shellPrefix: `umask ${umask}` });
    // Expected: modes never wider than 0700/0600.
    // Check:
    const run = join(fault().dir, '.ignite/run');
    expect(mode(run)).toBe('700');
    expect(mode(join(run, 'control.sock'))).toBe('600');
    expect(mode(join(run, 'state.json'))).toBe('600');
    expect((await fault().run(['down'])).code).toBe(0);
  });
});

describe('control TCP listener tokens', () => {
  it('demands the bearer token: none or a wrong one is 401, the generated one works', async () => {
    // Setup: a stack with a loopback HTTP listener and a generated token.
    const port = await freePort();
    oneTask(`control: { http: { port: ${port} } },`);
    await upDetached();
    const tokenFile = join(fault().dir, '.ignite/control.token');
    expect(mode(tokenFile)).toBe('600');
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(32);
    // Fault: requests without a token, with a wrong one, with a near-miss.
    const none = await request({ port }, 'GET', '/v1/status');
    const wrong = await request({ port }, 'GET', '/v1/status', undefined, { Authorization: 'Bearer nope' });
    const near = await request({ port }, 'GET', '/v1/status', undefined, { Authorization: `Bearer ${token.slice(0, -1)}x` });
    const good = await request({ port }, 'GET', '/v1/status', undefined, { Authorization: `Bearer ${token}` });
    // Expected / Check:
    expect([none.status, wrong.status, near.status]).toEqual([401, 401, 401]);
    expect(good.status).toBe(200);
    expect((await fault().run(['down'])).code).toBe(0);
  });
});

describe('hostile input on the control socket', () => {
  it('answers hostile requests with errors and keeps running, unpolluted', async () => {
    // Setup: a detached stack.
    oneTask();
    const daemon = await upDetached();
    const sock = { path: join(fault().dir, '.ignite/run/control.sock') };
    const long = 'a'.repeat(100_000);
    // Fault: a volley of bad requests.
    const answers = [
      await request(sock, 'POST', '/v1/stop', '{not json'),
      await request(sock, 'POST', '/v1/stop', JSON.stringify({ patterns: ['x'], pad: 'y'.repeat(2_000_000) })),
      await request(sock, 'POST', '/v1/stop', '{"__proto__":{"polluted":true},"patterns":["nomatch"]}'),
      await request(sock, 'POST', '/v1/stop', JSON.stringify({ constructor: { prototype: { polluted: true } }, patterns: [] })),
      await request(sock, 'POST', '/v1/restart', JSON.stringify({ patterns: ['../../etc/passwd'] })),
      await request(sock, 'POST', '/v1/restart', JSON.stringify({ patterns: [`/${'(a+)+'.repeat(40)}$/`] })),
      await request(sock, 'POST', '/v1/restart', JSON.stringify({ patterns: [long] })),
      await request(sock, 'POST', '/v1/kill', JSON.stringify({ patterns: ['svc'], signal: long })),
      await request(sock, 'GET', `/v1/logs?patterns=${long}&lines=${long}`),
      await request(sock, 'GET', '/v1/../../etc/passwd'),
      await request(sock, 'GET', '/constructor'),
      await request(sock, 'GET', '/__proto__'),
      await request(sock, 'DELETE', '/v1/status'),
    ];
    // Expected: every answer is a 4xx, the task untouched, the daemon alive and answering.
    // Check:
    for (const [i, answer] of answers.entries()) {
      // an over-limit body (1) or request line (8) may be cut off while the client still writes:
      // the kernel's reset can beat the 4xx to the client (status 0). Refused either way.
      if ((i === 1 || i === 8) && answer.status === 0) continue;
      expect(answer.status, `request ${i}: ${answer.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(answer.status, `request ${i}`).toBeLessThan(500);
    }
    // a catastrophic-backtracking pattern in a query must answer promptly (any status)
    const redos = await request(sock, 'GET', `/v1/status?patterns=/${'(a|a)*'.repeat(30)}b/&pattern=/${'(a|a)*'.repeat(30)}b/`);
    expect(redos.status).toBeGreaterThan(0);
    expect(isLive(daemon)).toBe(true);
    const ps = await fault().run(['ps', '--json']);
    expect(ps.code).toBe(0);
    const rows = JSON.parse(ps.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.state).toBe('ready');
    expect(rows[0]?.restarts).toBe(0);
    expect(JSON.stringify(rows)).not.toContain('polluted');
    expect((await fault().run(['down'])).code).toBe(0);
  });

  it('survives 200 idle connections, never claims the stack is gone, and answers once they close', async () => {
    // Setup: a detached stack.
    oneTask();
    const daemon = await upDetached();
    const path = join(fault().dir, '.ignite/run/control.sock');
    // Fault: 200 connections that never send a byte.
    const idle: Socket[] = [];
    for (let i = 0; i < 200; i++) {
      const s = connect(path);
      s.on('error', () => undefined);
      idle.push(s);
    }
    // Expected: the daemon lives; a request during the flood either works or says why
    // (never "no stack is running"); once the idle connections go, requests work promptly.
    // Check:
    try {
      const during = await fault().run(['ps', '--json'], {}, 15_000);
      expect(isLive(daemon)).toBe(true);
      if (during.code !== 0) expect(during.stderr).not.toMatch(/no ignite stack is running/);
    } finally {
      for (const s of idle) s.destroy();
    }
    const t0 = Date.now();
    const after = await fault().run(['ps', '--json'], {}, 10_000);
    expect(after.code, after.stderr).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect((await fault().run(['down'])).code).toBe(0);
  });
});

describe('control requests that take their time', () => {
  it('lets `down` wait out a stop longer than 5 s and reports success', async () => {
    // Setup: a detached stack whose task ignores SIGTERM, with a 6 s stop timeout.
    fault().writeConfig(`tasks: [{ name: 'stubborn', command: ['/bin/sh', '-c', 'trap "" TERM; while :; do sleep 0.2; done'], stop: { timeout: '6s' } }]`);
    const daemon = await upDetached();
    // Fault: a down that cannot finish before the stop timeout.
    const t0 = Date.now();
    const down = await fault().run(['down'], {}, 20_000);
    // Expected: down returns 0 once the task is killed at 6 s; nothing is left.
    // Check:
    expect(down.code, down.stderr).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(6000);
    expect(isLive(daemon)).toBe(false);
    expect(liveTagged(fault().tag)).toEqual([]);
  });

  it('keeps `logs -f` following through 6 s of silence', async () => {
    // Setup: a detached stack whose task prints a line, then another once a file appears.
    const go = join(fault().dir, 'go');
    fault().writeConfig(`tasks: [{ name: 'talk', command: ['/bin/sh', '-c', 'echo first; while [ ! -e ${go} ]; do sleep 0.05; done; echo second; exec sleep 1000'] }]`);
    await upDetached();
    const follow = fault().cli(['logs', '-f']);
    await follow.waitOutput(/talk \| first/);
    // Fault: the stack says nothing for 6 s (longer than Node's default 5 s socket timeout).
    await new Promise((resolve) => setTimeout(resolve, 6000));
    writeFileSync(go, '');
    // Expected: the follower is still there and prints the next line; Ctrl+C ends it, as it ends tail -f.
    // Check:
    await follow.waitOutput(/talk \| second/, 5000);
    process.kill(follow.pid, 'SIGINT');
    expect(await follow.waitExit(5000)).toBe(130);
    expect((await fault().run(['down'])).code).toBe(0);
  });
});
