import { describe, expect, it } from 'vitest';
import type { HookContext } from '../../../src/core/model.js';
import { harness, stack, task } from './helpers.js';

const make = harness();

/** A hook that never settles, recording the signal it was given. */
function hang(signals: AbortSignal[]): (ctx: HookContext) => Promise<void> {
  return (ctx) => {
    signals.push(ctx.signal);
    return new Promise(() => undefined);
  };
}

describe('hooks that never settle', () => {
  it('fails the start attempt when preStart has not settled within readyTimeout: its signal aborts, the policy applies', async () => {
    const signals: AbortSignal[] = [];
    const { sup, rec } = make(
      stack((dir) => [
        task('svc', ['sleep', '60'], { readyTimeoutMs: 300, restart: { maxRestarts: 1, backoffMs: 10 }, hooks: { preStart: hang(signals) } }, dir),
      ]),
    );
    void sup.up();
    const failed = await rec.state('svc', 'failed', 5000);
    expect(failed.failure).toMatchObject({
      reason: 'max-restarts',
      last: { reason: 'hook-error', task: 'svc', hook: 'preStart', message: "did not finish within 300ms (the task's readyTimeout)" },
    });
    expect(rec.of('task-warning', 'svc').map((e) => e.message)).toEqual(["preStart hook failed: did not finish within 300ms (the task's readyTimeout)"]);
    expect(signals.map((signal) => signal.aborted)).toEqual([true, true]);
    expect(rec.of('task-spawn')).toEqual([]);
  });

  it('restarts a crashed task whose onExit never settles, once that hook has had readyTimeout', async () => {
    const signals: AbortSignal[] = [];
    let preStarts = 0;
    const hooks = {
      preStart: (): Promise<void> => {
        preStarts++;
        return Promise.resolve();
      },
      onExit: hang(signals),
    };
    const { sup, rec } = make(
      stack((dir) => [task('svc', 'exit 3', { readyTimeoutMs: 300, restart: { maxRestarts: 1, backoffMs: 10 }, hooks }, dir)]),
    );
    void sup.up();
    await rec.waitFor('task-spawn', (e) => e.task === 'svc' && e.attempt === 2, 5000);
    expect(preStarts).toBe(2);
    expect(rec.of('task-warning', 'svc')[0]?.message).toBe("onExit hook failed: did not finish within 300ms (the task's readyTimeout)");
    expect(signals[0]?.aborted).toBe(true);
    await rec.state('svc', 'failed', 5000);
  });
});
