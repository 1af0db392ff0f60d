import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { followStartup, type StartupClient } from '../../../src/cli/up/follow.js';
import type { CliContext } from '../../../src/cli/context.js';
import type { SupervisorEvent } from '../../../src/core/events.js';
import type { TaskStatus } from '../../../src/core/status.js';
import * as render from '../../../src/render/index.js';

type Answer = { ok: true; value: TaskStatus[] } | { ok: false; error: string };
type Stream = AsyncIterable<SupervisorEvent> & { close(): void };

const row = (state: string): TaskStatus => ({ name: 'migrate', task: 'migrate', state }) as unknown as TaskStatus;
const down: Answer = { ok: false, error: 'not answering' };

function context(): CliContext {
  const out = new PassThrough();
  out.resume();
  return { cwd: '/', env: {}, stdout: out, stderr: out, isTTY: false, ci: true, color: false, script: '', version: '0.0.0', debug: () => false };
}

/** A stream of these events that then ends, as one the server dropped does. */
function stream(events: SupervisorEvent[]): Stream {
  return {
    close: () => undefined,
    async *[Symbol.asyncIterator]() {
      for (const event of events) yield await Promise.resolve(event);
    },
  };
}

/** A client answering status from `answers` in turn (the last one from then on) and events from `streams`. */
function fakeClient(answers: Answer[], streams: Stream[]): StartupClient & { subscriptions: number } {
  const fake = {
    subscriptions: 0,
    events: (options: { output: boolean }) => {
      expect(options.output).toBe(false);
      fake.subscriptions++;
      return Promise.resolve({ ok: true as const, value: streams.shift() ?? stream([]) });
    },
    status: () => Promise.resolve(answers.length > 1 ? (answers.shift() as Answer) : (answers[0] as Answer)),
  };
  return fake;
}

const options = (exited: Promise<unknown> = new Promise(() => undefined)) => ({
  inSelection: () => true,
  isOneshot: () => true,
  exited,
});
/** A stream that stays open and quiet: the supervisor has nothing to say. */
const silent = (): Stream => ({
  close: () => undefined,
  [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<SupervisorEvent>>(() => undefined) }),
});
const restarted = (state: string, startedAt: number): TaskStatus =>
  ({ ...row(state), task: 'worker', name: 'worker', restarts: 1, startedAt: new Date(startedAt).toISOString() });
const completed: SupervisorEvent = { type: 'task-state', task: 'migrate', state: 'completed', at: 1 } as SupervisorEvent;

describe('following startup for up -d', () => {
  it('subscribes again when the stream ends before a oneshot completed', async () => {
    const client = fakeClient([{ ok: true, value: [row('ready')] }, { ok: true, value: [row('ready')] }, { ok: true, value: [row('completed')] }], [stream([]), stream([completed])]);
    const startup = await followStartup(context(), client, render, options());
    expect(startup).toEqual({ rows: [row('completed')], stopping: false });
    expect(client.subscriptions).toBe(2);
  });

  it('asks again when a status request fails instead of counting it as settled', async () => {
    const client = fakeClient([down, down, { ok: true, value: [row('ready')] }, down, { ok: true, value: [row('completed')] }], [stream([completed])]);
    const startup = await followStartup(context(), client, render, options());
    expect(startup).toEqual({ rows: [row('completed')], stopping: false });
  });

  it('ends as stopped once the supervisor exited and answers no more', async () => {
    let exit = (): void => undefined;
    const exited = new Promise<void>((resolve) => (exit = resolve));
    const client = fakeClient([{ ok: true, value: [row('ready')] }, down], [stream([])]);
    const following = followStartup(context(), client, render, options(exited));
    exit();
    expect(await following).toEqual({ rows: [row('ready')], stopping: true, gone: true });
  });

  it("does not take a restarted task's ready for settled: a crash loop passes through ready", async () => {
    const failed: SupervisorEvent = { type: 'task-state', task: 'worker', state: 'failed', at: 2 } as SupervisorEvent;
    const looping = restarted('ready', Date.now());
    const client = fakeClient([{ ok: true, value: [looping] }, { ok: true, value: [{ ...looping, state: 'failed' }] }], [stream([failed])]);
    const startup = await followStartup(context(), client, render, { ...options(), isOneshot: () => false, steadyAfterMs: () => 60_000 });
    expect(startup.rows.map((r) => r.state)).toEqual(['failed']);
  });

  it('takes it once it has held for its minUptime, with no event to wait for', async () => {
    const since = Date.now();
    const holding = restarted('ready', since);
    const client = fakeClient([{ ok: true, value: [holding] }], [silent()]);
    const startup = await followStartup(context(), client, render, { ...options(), isOneshot: () => false, steadyAfterMs: () => 200 });
    expect(startup).toEqual({ rows: [holding], stopping: false });
    expect(Date.now() - since).toBeGreaterThanOrEqual(195);
  });
});
