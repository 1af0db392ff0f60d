import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SupervisorEvent } from '../../../src/core/events.js';
import { ControlClient, startControlServer, type ControlServerHandle } from '../../../src/control/index.js';
import { fakeApi, info, tempDir, type FakeApi } from './fake-api.js';

describe('control routes through the client', () => {
  let dir: ReturnType<typeof tempDir>;
  let api: FakeApi;
  let handle: ControlServerHandle;
  let client: ControlClient;

  beforeEach(async () => {
    dir = tempDir();
    api = fakeApi();
    const logs = join(dir.path, 'logs');
    mkdirSync(logs);
    writeFileSync(join(logs, 'api.log.1'), 'old 1\nold 2\n');
    writeFileSync(join(logs, 'api.log'), Array.from({ length: 500 }, (_, i) => `api line ${i}`).join('\n') + '\n');
    writeFileSync(join(logs, 'db.log'), 'db ready\r\nno newline at end');
    const logFiles = (task: string): string[][] =>
      task === 'api'
        ? [[join(logs, 'api.log.1'), join(logs, 'api.log')]]
        : task === 'db'
          ? [[join(logs, 'db.log')], [join(logs, 'db.err.log')]]
          : [[join(logs, `${task.split(':')[0] ?? task}.log`)]];
    const started = await startControlServer({ stateDir: join(dir.path, '.ignite'), api, logFiles, info });
    if (!started.ok) throw new Error(started.error.message);
    handle = started.value;
    const connected = await ControlClient.connect(join(dir.path, '.ignite'));
    if (!connected.ok) throw new Error(connected.error.message);
    client = connected.value;
  });

  afterEach(async () => {
    await handle.close();
    dir.remove();
  });

  it('answers info with the supervisor pid, config file and socket', async () => {
    const result = await client.info();
    expect(result).toEqual({ ok: true, value: { ...info, startedAt: '2023-11-14T22:13:20.000Z', stopping: false, socketPath: handle.socketPath, httpUrl: null } });
  });

  it('answers status for all tasks, for patterns, and no-match with the known names', async () => {
    const all = await client.status();
    expect(all.ok && all.value.map((row) => row.name)).toEqual(['api', 'db', 'web:0', 'web:1']);
    const some = await client.status(['web', '@nothing']);
    expect(some.ok && some.value.map((row) => row.name)).toEqual(['web:0', 'web:1']);
    const none = await client.status(['nope']);
    expect(none).toEqual({
      ok: false,
      error: {
        reason: 'server-error',
        status: 404,
        code: 'no-match',
        message: 'no task matches "nope" (tasks: api, db, web:0, web:1)',
        failure: { reason: 'no-match', patterns: ['nope'], known: ['api', 'db', 'web:0', 'web:1'] },
      },
    });
  });

  it('names why a pattern does not compile in the no-match message, as the CLI does', async () => {
    const broken = await client.status(['/[/']);
    expect(!broken.ok && broken.error.reason === 'server-error' && broken.error.status).toBe(404);
    expect(!broken.ok && broken.error.message).toMatch(/^"\/\[\/" is not a valid pattern: .+ \(tasks: api, db, web:0, web:1\)$/);
  });

  it('answers an empty patterns list with 400 invalid-request, not no-match', async () => {
    const empty = await client.start([]);
    expect(empty).toMatchObject({ ok: false, error: { reason: 'server-error', status: 400, code: 'invalid-request', message: 'patterns: at least one' } });
    expect(api.calls).toEqual([]);
  });

  it('runs start, restart and kill with Result answers and stop with a void answer', async () => {
    expect(await client.start(['@backend'])).toEqual({ ok: true, value: ['api', 'db'] });
    expect(await client.restart(['api'])).toEqual({ ok: true, value: ['api'] });
    expect(await client.stop(['db'])).toEqual({ ok: true, value: [] });
    expect(await client.kill(['web:*'], 'SIGUSR1')).toEqual({ ok: true, value: ['web:0', 'web:1'] });
    const missing = await client.restart(['ghost']);
    expect(!missing.ok && missing.error.reason === 'server-error' && missing.error.code).toBe('no-match');
    expect(api.calls).toEqual([
      { op: 'start', patterns: ['@backend'] },
      { op: 'restart', patterns: ['api'] },
      { op: 'stop', patterns: ['db'] },
      { op: 'kill', patterns: ['web:*'], signal: 'SIGUSR1' },
      { op: 'kill-select', patterns: ['web:*'] },
      { op: 'restart', patterns: ['ghost'] },
    ]);
  });

  it('runs down', async () => {
    expect(await client.down()).toEqual({ ok: true, value: undefined });
    expect(api.calls).toEqual([{ op: 'down' }]);
  });

  it('returns the last N log lines per task, across rotated files, CRLF and a final partial line', async () => {
    const result = await client.logs({ patterns: ['api', 'db'], lines: 3 });
    expect(result).toEqual({
      ok: true,
      value: [
        { task: 'api', line: 'api line 497' },
        { task: 'api', line: 'api line 498' },
        { task: 'api', line: 'api line 499' },
        { task: 'db', line: 'db ready' },
        { task: 'db', line: 'no newline at end' },
      ],
    });
    const across = await client.logs({ patterns: ['api'], lines: 502 });
    expect(across.ok && across.value.slice(0, 3).map((l) => l.line)).toEqual(['old 1', 'old 2', 'api line 0']);
    const missing = await client.logs({ patterns: ['web:0'], lines: 10 });
    expect(missing).toEqual({ ok: true, value: [] });
  });

  it('returns the last N lines of each stream when stdout and stderr have files of their own', async () => {
    writeFileSync(join(dir.path, 'logs', 'db.err.log'), Array.from({ length: 50 }, (_, i) => `db err ${i}`).join('\n') + '\n');
    const result = await client.logs({ patterns: ['db'], lines: 2 });
    expect(result.ok && result.value.map((l) => l.line)).toEqual(['db ready', 'no newline at end', 'db err 48', 'db err 49']);
  });

  it('refuses more than 10000 lines with a sentence, not a validator message', async () => {
    const result = await client.logs({ lines: 15000 });
    expect(!result.ok && result.error.message).toBe('lines: at most 10000');
  });

  it("reads the file replicas share once, under the task's name, not once per replica", async () => {
    writeFileSync(join(dir.path, 'logs', 'web.log'), 'from web:1\nfrom web:0\n');
    const result = await client.logs({ patterns: ['web:0', 'web:1'], lines: 5 });
    expect(result).toEqual({
      ok: true,
      value: [
        { task: 'web', line: 'from web:1' },
        { task: 'web', line: 'from web:0' },
      ],
    });
  });

  it('streams events in order, filtered by pattern, and ends the stream when the server closes', async () => {
    const all = await client.events();
    const filtered = await client.events({ patterns: ['db'] });
    if (!all.ok || !filtered.ok) throw new Error('no stream');
    expect(api.listeners()).toBe(2);
    const sent: SupervisorEvent[] = [
      { type: 'stack-state', state: 'starting', at: 1 },
      { type: 'task-output', task: 'api', stream: 'stdout', lines: ['hello'], at: 2 },
      { type: 'task-ready', task: 'db', elapsedMs: 5, at: 3 },
      ...Array.from({ length: 200 }, (_, i): SupervisorEvent => ({ type: 'task-output', task: 'db', stream: 'stderr', lines: [`n${i}`], at: 4 + i })),
    ];
    for (const event of sent) api.emit(event);
    const received: SupervisorEvent[] = [];
    const reading = (async () => {
      for await (const event of all.value) {
        received.push(event);
        if (received.length === sent.length) void handle.close();
      }
    })();
    const filteredReceived: SupervisorEvent[] = [];
    const readingFiltered = (async () => {
      for await (const event of filtered.value) filteredReceived.push(event);
    })();
    await Promise.all([reading, readingFiltered]);
    expect(received).toEqual(sent);
    expect(filteredReceived).toEqual(sent.filter((e) => e.type === 'stack-state' || e.task === 'db'));
    expect(api.listeners()).toBe(0);
  });

  it('streams no task output to a client that asks for states only, however much is printed', async () => {
    const states = await client.events({ output: false });
    if (!states.ok) throw new Error('no stream');
    const iterator = states.value[Symbol.asyncIterator]();
    // 8 MiB of output no one reads: past the backlog that drops a reader of everything
    const line = 'x'.repeat(1023);
    for (let i = 0; i < 8; i++) api.emit({ type: 'task-output', task: 'api', stream: 'stdout', lines: Array.from({ length: 1024 }, () => line), at: i });
    api.emit({ type: 'task-ready', task: 'db', elapsedMs: 5, at: 9 });
    expect((await iterator.next()).value).toEqual({ type: 'task-ready', task: 'db', elapsedMs: 5, at: 9 });
    states.value.close();
    const bad = await fetchStatus(handle.socketPath, '/v1/events?output=no');
    expect(bad).toBe(400);
  });

  it('lets a client close its event stream and unsubscribes on the server', async () => {
    const stream = await client.events();
    if (!stream.ok) throw new Error('no stream');
    const iterator = stream.value[Symbol.asyncIterator]();
    const next = iterator.next();
    api.emit({ type: 'stack-state', state: 'settled', at: 1 });
    expect((await next).value).toEqual({ type: 'stack-state', state: 'settled', at: 1 });
    stream.value.close();
    expect((await iterator.next()).done).toBe(true);
    await expect.poll(() => api.listeners(), { timeout: 2000 }).toBe(0);
  });

  it('refuses an event stream for a pattern that matches nothing', async () => {
    const stream = await client.events({ patterns: ['ghost'] });
    expect(!stream.ok && stream.error.reason === 'server-error' && stream.error.status).toBe(404);
  });

  it('reloads through the API: the summary, an invalid config as 400 with its message, 501 without a config to reload', async () => {
    expect(await client.reload()).toMatchObject({ ok: false, error: { reason: 'server-error', status: 501 } });
    const summary = { added: ['x'], removed: [], changed: [], unchanged: ['api'], started: ['x'], followed: [], pulledIn: [], notApplied: [] };
    api.reload = () => Promise.resolve({ ok: true as const, value: summary });
    expect(await client.reload()).toEqual({ ok: true, value: summary });
    api.reload = () => Promise.resolve({ ok: false as const, error: { message: 'tasks[0].restart: expected …' } });
    expect(await client.reload()).toMatchObject({ ok: false, error: { status: 400, code: 'invalid-config', message: 'tasks[0].restart: expected …' } });
  });
});

/** The status code of a GET on the control socket. */
function fetchStatus(socketPath: string, path: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}
