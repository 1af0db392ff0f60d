import { describe, expect, it } from 'vitest';
import { prepareReady } from '../../../src/ready/index.js';
import type { ReadySpec } from '../../../src/ready/types.js';
import { later, makeRun, TestOutput } from '../../fixtures/ready/run.js';

const options = { task: 'api', runDir: '/nonexistent', cwd: process.cwd() };
const log = (pattern: RegExp): ReadySpec => ({ kind: 'log', pattern, stream: 'both' });

describe('all and any', () => {
  it('all waits for every strategy', async () => {
    const output = new TestOutput();
    const prepared = await prepareReady({ kind: 'all', strategies: [log(/one/), log(/two/)] }, options);
    let twoAt = 0;
    later(20, () => output.line('one'));
    later(50, () => {
      twoAt = Date.now();
      output.line('two');
    });
    const result = await prepared.wait(makeRun({ output }));
    expect(result.ok).toBe(true);
    expect(twoAt).toBeGreaterThan(0);
    expect(output.listenerCount).toBe(0);
  });

  it('any passes with the first strategy and cancels the others', async () => {
    const output = new TestOutput();
    let stuckAborted = false;
    const stuck: ReadySpec = {
      kind: 'function',
      label: 'stuck',
      fn: (ctx) =>
        new Promise<boolean>((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            stuckAborted = true;
            resolve(false);
          });
        }),
    };
    const prepared = await prepareReady({ kind: 'any', strategies: [stuck, log(/up/)] }, options);
    later(20, () => output.line('up'));
    const result = await prepared.wait(makeRun({ output }));
    expect(result.ok).toBe(true);
    expect(stuckAborted).toBe(true);
    expect(output.listenerCount).toBe(0);
  });

  it('all fails as soon as one strategy fails for good', async () => {
    const output = new TestOutput();
    const boom: ReadySpec = {
      kind: 'function',
      label: 'boom',
      fn: () => {
        throw new Error('no');
      },
    };
    const prepared = await prepareReady({ kind: 'all', strategies: [log(/never/), boom] }, options);
    const result = await prepared.wait(makeRun({ output }));
    expect(result).toMatchObject({ ok: false, error: { reason: 'ready-error', strategy: 'all(log:/never/, function:boom)', message: 'no' } });
    expect(output.listenerCount).toBe(0);
  });

  it('any times out when nothing passes', async () => {
    const prepared = await prepareReady({ kind: 'any', strategies: [log(/a/), log(/b/)] }, options);
    const result = await prepared.wait(makeRun({ timeoutMs: 80 }));
    expect(result).toMatchObject({ ok: false, error: { reason: 'ready-timeout', strategy: 'any(log:/a/, log:/b/)' } });
  });
});

describe('prepareReady', () => {
  it('is ready at once without a strategy', async () => {
    const prepared = await prepareReady(undefined, options);
    expect(prepared.env).toEqual({});
    expect(prepared.needsNotifyFd).toBe(false);
    expect(await prepared.wait(makeRun())).toEqual({ ok: true, value: undefined });
    await prepared.dispose();
  });

  it('asks for a notify fd and names it fd 3, also inside a combinator', async () => {
    const prepared = await prepareReady({ kind: 'any', strategies: [{ kind: 'notify' }, { kind: 'delay', duration: '1s' }] }, options);
    expect(prepared.needsNotifyFd).toBe(true);
    expect(prepared.env).toEqual({ IGNITE_NOTIFY_FD: '3' });
  });

  it('waits out a delay', async () => {
    const prepared = await prepareReady({ kind: 'delay', duration: '60ms' }, options);
    const started = Date.now();
    expect((await prepared.wait(makeRun())).ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });
});

describe('bad input that slipped through', () => {
  it('turns a probe that throws while starting into a ready-error, not an exception', async () => {
    const prepared = await prepareReady({ kind: 'tcp', host: undefined, port: 70_000 }, options);
    const result = await prepared.wait(makeRun());
    expect(result).toMatchObject({ ok: false, error: { reason: 'ready-error', strategy: 'tcp:70000' } });
  });
});
