import { describe, expect, it } from 'vitest';
import { LazyAbort } from '../../../src/util/abort.js';

describe('LazyAbort', () => {
  it('aborts a signal handed out earlier, once, with the reason', () => {
    const abort = new LazyAbort();
    const signal = abort.signal;
    const seen: unknown[] = [];
    signal.addEventListener('abort', () => seen.push(signal.reason));
    const reason = new Error('ended');
    abort.abort(reason);
    abort.abort(new Error('again'));
    expect(signal.aborted).toBe(true);
    expect(seen).toEqual([reason]);
  });

  it('hands out an already-aborted signal after an abort nobody listened to', () => {
    const abort = new LazyAbort();
    const reason = new Error('ended');
    abort.abort(reason);
    expect(abort.signal.aborted).toBe(true);
    expect(abort.signal.reason).toBe(reason);
  });

  it('gives the standard AbortError when aborted without a reason', () => {
    const abort = new LazyAbort();
    abort.abort();
    expect(abort.signal.aborted).toBe(true);
    expect((abort.signal.reason as Error).name).toBe('AbortError');
  });

  it('keeps one signal while not aborted', () => {
    const abort = new LazyAbort();
    expect(abort.signal).toBe(abort.signal);
    expect(abort.signal.aborted).toBe(false);
  });
});
