import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { SupervisorEvent } from '../../../src/core/events.js';
import type { Failure } from '../../../src/core/failure.js';
import { makeColors } from '../../../src/render/colors.js';
import { createJsonRenderer } from '../../../src/render/json.js';
import { LineFormatter } from '../../../src/render/lines.js';
import { createPlainRenderer } from '../../../src/render/plain.js';
import { safeWriter } from '../../../src/render/writer.js';

const at = 0;
const events: SupervisorEvent[] = [
  { type: 'task-waiting', task: 'api', on: 'db', at },
  { type: 'task-output', task: 'db', stream: 'stdout', lines: ['listening on 5432'], at },
  { type: 'task-ready', task: 'db', elapsedMs: 1200, at },
  { type: 'task-output', task: 'worker', stream: 'stderr', lines: ['boom'], at },
  {
    type: 'task-state',
    task: 'worker',
    state: 'failed',
    previous: 'starting',
    at,
    failure: { reason: 'exited', task: 'worker', code: 1, signal: null, expected: [0], lastLines: ['a', 'b'] },
  },
  { type: 'task-state', task: 'migrate', state: 'completed', previous: 'ready', at },
  { type: 'task-stats', task: 'db', cpu: 1, memory: 2, at },
];

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8');
}

describe('plain renderer', () => {
  it('prefixes lines with the name padded to the longest task, without colour', async () => {
    const out = new PassThrough();
    const text = collect(out);
    const renderer = createPlainRenderer({ out, color: false, names: ['db', 'api', 'worker', 'migrate'] });
    for (const event of events) renderer.event(event);
    await renderer.close();
    expect(text()).toBe(
      [
        'api     ● waiting for db',
        'db      | listening on 5432',
        'db      ● ready in 1.2s',
        'worker  | boom',
        'worker  ✖ failed: exited with code 1; last output:',
        '            │ a',
        '            │ b',
        'migrate ✔ completed',
        '',
      ].join('\n'),
    );
  });

  it('colours names and states when colour is allowed', () => {
    const formatter = new LineFormatter(makeColors(true), ['db']);
    expect(formatter.output('db', 'hi')).toContain('\u001b[');
    expect(new LineFormatter(makeColors(false), ['db']).output('db', 'hi')).toBe('db | hi');
  });

  it('widens the name column for a name it had not seen', () => {
    const formatter = new LineFormatter(makeColors(false), ['db']);
    expect(formatter.output('database', 'x')).toBe('database | x');
    expect(formatter.output('db', 'y')).toBe('db       | y');
  });
});

describe('stopping lines', () => {
  it('say which check failed when an attempt is stopped for it, and nothing more for a requested stop', () => {
    const formatter = new LineFormatter(makeColors(false), ['api']);
    const failure = { reason: 'ready-timeout' as const, task: 'api', strategy: 'tcp:5432', timeoutMs: 2000, lastLines: ['x'], lastCheck: 'ECONNREFUSED' };
    expect(formatter.format({ type: 'task-state', task: 'api', state: 'stopping', previous: 'starting', at, failure })).toBe(
      'api ■ stopping: not ready after 2.0s (tcp:5432; last check: ECONNREFUSED)',
    );
    expect(formatter.format({ type: 'task-state', task: 'api', state: 'stopping', previous: 'ready', at })).toBe('api ■ stopping');
  });
});

describe('restart lines', () => {
  it('say why a clean exit is restarted, which its exit line does not', () => {
    const formatter = new LineFormatter(makeColors(false), ['web']);
    const exit: SupervisorEvent = { type: 'task-exit', task: 'web', pid: 7, code: 0, signal: null, uptimeMs: 12, at };
    const tooQuick = { reason: 'too-quick' as const, task: 'web', uptimeMs: 12, minUptimeMs: 1000, code: 0, signal: null };
    const beforeReady = { reason: 'exited' as const, task: 'web', code: 0, signal: null, expected: [0], lastLines: ['x'], beforeReady: 'tcp:8080' };
    const crashed = { reason: 'exited' as const, task: 'web', code: 3, signal: null, expected: [0], lastLines: [] };
    const backoff = (failure: Failure): SupervisorEvent => ({ type: 'task-state', task: 'web', state: 'backoff', previous: 'ready', at, failure });
    expect([exit, backoff(tooQuick), backoff(beforeReady), backoff(crashed)].map((event) => formatter.format(event))).toEqual([
      undefined,
      'web ● exited with code 0 after 12ms, before its minUptime of 1.0s (a failed start; a task meant to finish is `oneshot: true`; a server must run in the foreground, not daemonize)',
      'web ● exited with code 0 before it was ready (tcp:8080; a server must run in the foreground, not daemonize)',
      // its exit line said it already
      undefined,
    ]);
  });
});

describe('health lines', () => {
  it('shows the first pass, each failure and the recovery, not every pass; a new attempt starts over', () => {
    const formatter = new LineFormatter(makeColors(false), ['api']);
    const health = (healthy: boolean, failures = 0): SupervisorEvent => ({ type: 'task-health', task: 'api', healthy, failures, message: healthy ? undefined : 'refused', at });
    const starting: SupervisorEvent = { type: 'task-state', task: 'api', state: 'starting', previous: 'backoff', at };
    const shown = [health(true), health(true), health(false, 1), health(false, 2), health(true), health(true), starting, health(true)]
      .map((event) => formatter.format(event))
      .filter((line) => line !== undefined);
    expect(shown).toEqual([
      'api ♥ healthy',
      'api ♥ health check failed (1): refused',
      'api ♥ health check failed (2): refused',
      'api ♥ healthy',
      'api ♥ healthy',
    ]);
  });
});

describe('json renderer', () => {
  it('writes one event per line, and one task-output object per output line', async () => {
    const out = new PassThrough();
    const text = collect(out);
    const renderer = createJsonRenderer({ out, color: false, names: [] });
    for (const event of events) renderer.event(event);
    renderer.event({ type: 'task-output', task: 'db', stream: 'stdout', lines: ['a', 'b'], at });
    await renderer.close();
    const lines = text().trimEnd().split('\n');
    const perLine = events.map((event) =>
      event.type === 'task-output' ? { type: 'task-output', task: event.task, stream: event.stream, line: event.lines[0], at: event.at } : event,
    );
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      ...perLine,
      { type: 'task-output', task: 'db', stream: 'stdout', line: 'a', at },
      { type: 'task-output', task: 'db', stream: 'stdout', line: 'b', at },
    ]);
  });
});

describe('safe writer', () => {
  it('stops writing instead of throwing once the reader is gone', () => {
    const out = new PassThrough();
    const writer = safeWriter(out);
    let closed = 0;
    writer.onClose(() => closed++);
    out.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(writer.closed).toBe(true);
    expect(() => writer.write('more\n')).not.toThrow();
    expect(closed).toBe(1);
  });
});
