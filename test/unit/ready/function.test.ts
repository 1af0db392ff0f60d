import { describe, expect, it } from 'vitest';
import type { ReadyContext } from '../../../src/core/ready-spec.js';
import { prepareReady } from '../../../src/ready/index.js';
import type { ReadyRun, ReadySpec } from '../../../src/ready/types.js';
import { makeRun, TestOutput } from '../../fixtures/ready/run.js';

const options = { task: 'api', runDir: '/nonexistent', cwd: process.cwd() };

async function wait(spec: ReadySpec, run: Partial<ReadyRun> = {}) {
  const prepared = await prepareReady(spec, options);
  return prepared.wait(makeRun(run));
}

describe('function and plugin strategies', () => {
  it('calls a function until it returns true, backing off between calls', async () => {
    const calls: number[] = [];
    const result = await wait({
      kind: 'function',
      label: 'warm',
      fn: () => {
        calls.push(Date.now());
        return calls.length >= 5;
      },
    });
    expect(result.ok).toBe(true);
    expect(calls).toHaveLength(5);
    const gaps = calls.slice(1).map((at, i) => at - (calls[i] ?? 0));
    expect(gaps[3]).toBeGreaterThanOrEqual(gaps[0] ?? 0);
  });

  it('gives the function the task, its recent lines and a signal', async () => {
    const output = new TestOutput();
    output.line('hello');
    let seen: ReadyContext | undefined;
    await wait(
      {
        kind: 'function',
        label: 'ctx',
        fn: (ctx) => {
          seen = ctx;
          return Promise.resolve(true);
        },
      },
      { output, task: 'db', pid: 42 },
    );
    expect(seen).toMatchObject({ task: 'db', pid: 42, lines: ['hello'] });
    expect(seen?.signal).toBeInstanceOf(AbortSignal);
  });

  it('fails with the message a function threw', async () => {
    const result = await wait({
      kind: 'function',
      label: 'boom',
      fn: () => {
        throw new Error('database is corrupt');
      },
    });
    expect(result).toEqual({
      ok: false,
      error: { reason: 'ready-error', task: 'api', strategy: 'function:boom', message: 'database is corrupt', lastLines: [] },
    });
  });

  it('times out a function that never returns, even one ignoring its signal', async () => {
    const started = Date.now();
    const result = await wait({ kind: 'function', label: 'stuck', fn: () => new Promise<boolean>(() => undefined) }, { timeoutMs: 100 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ ok: false, error: { reason: 'ready-timeout', strategy: 'function:stuck', timeoutMs: 100 } });
  });

  it('calls a plugin strategy with its params and a context', async () => {
    const seen: unknown[] = [];
    const plugins = {
      pg: (params: unknown, ctx: ReadyContext) => {
        seen.push(params, ctx.task);
        return seen.length >= 4;
      },
    };
    const result = await wait({ kind: 'plugin', name: 'pg', params: { db: 'app' } }, { plugins });
    expect(result.ok).toBe(true);
    expect(seen).toEqual([{ db: 'app' }, 'api', { db: 'app' }, 'api']);
  });

  it('fails at once for a plugin strategy nobody registered', async () => {
    const result = await wait({ kind: 'plugin', name: 'nope', params: null }, { plugins: { pg: () => true } });
    expect(result).toMatchObject({
      ok: false,
      error: { reason: 'ready-error', strategy: 'plugin:nope', message: 'no plugin registered the ready strategy "nope" (known: pg)' },
    });
  });
});
