import { describe, expect, it } from 'vitest';
import { dep, harness, leftovers, stack, task } from './fixtures.js';

const make = harness();

describe('run()', () => {
  it("returns the task's own exit code and stops the rest", async () => {
    const { sup } = make(
      stack((dir) => [
        task('db', ['sleep', '371'], {}, dir),
        task('job', 'exit 7', { oneshot: true, dependsOn: [dep('db')] }, dir),
        task('unrelated', ['sleep', '372'], {}, dir),
      ]),
    );
    expect(await sup.run('job')).toEqual({ ok: true, value: 7 });
    expect(sup.status().map((s) => [s.name, s.state])).toEqual([
      ['db', 'stopped'],
      ['job', 'failed'],
      ['unrelated', 'idle'],
    ]);
    expect(leftovers('sleep 37')).toEqual([]);
  });

  it('returns 0 when the task completes', async () => {
    const { sup } = make(stack((dir) => [task('job', 'echo done', { oneshot: true }, dir)]));
    expect(await sup.run('job')).toEqual({ ok: true, value: 0 });
  });

  it('returns an unknown-task failure for a name that is not in the stack', async () => {
    const { sup } = make(stack((dir) => [task('job', 'true', { oneshot: true }, dir)]));
    const result = await sup.run('jbo');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ reason: 'unknown-task', task: 'jbo' });
  });

  it('resolves finished() with 0 once every task is done and none failed', async () => {
    const { sup } = make(
      stack((dir) => [
        task('a', 'echo a', { oneshot: true }, dir),
        task('b', 'echo b', { oneshot: true, dependsOn: [dep('a', 'completed')] }, dir),
      ]),
    );
    await sup.up();
    expect(await sup.finished()).toBe(0);
  });

  it('does not resolve finished() between the stop and the start of a restart, nor downed() before a down', async () => {
    const { sup } = make(stack((dir) => [task('only', ['sleep', '373'], {}, dir)]));
    await sup.up();
    const settled: string[] = [];
    void sup.finished().then(() => settled.push('finished'));
    void sup.downed().then(() => settled.push('downed'));
    expect(await sup.restart(['only'])).toEqual({ ok: true, value: ['only'] });
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toEqual([]);
    expect(await sup.stop(['only'])).toEqual({ ok: true, value: ['only'] });
    await new Promise((resolve) => setImmediate(resolve));
    // stopping the last task ends a foreground stack; only a down ends a detached one
    expect(settled).toEqual(['finished']);
    await sup.down();
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toEqual(['finished', 'downed']);
    expect(leftovers('sleep 373')).toEqual([]);
  });

  it('ends with 1 when a task failed, but with 0 once a down was asked for (stopped on request)', async () => {
    const { sup, rec } = make(
      stack((dir) => [task('crash', 'exit 3', { restart: { policy: 'never' } }, dir), task('other', ['sleep', '374'], {}, dir)]),
    );
    await sup.up();
    await rec.state('crash', 'failed');
    const finished = sup.finished();
    await sup.down();
    expect(await finished).toBe(0);
    expect(await sup.downed()).toBe(0);
    expect(leftovers('sleep 374')).toEqual([]);
  });

  it('ends with 1 when a required task failing shut the stack down', async () => {
    const { sup } = make(
      stack((dir) => [task('crash', 'sleep 0.2; exit 3', { restart: { policy: 'never' }, onFailure: 'shutdown' }, dir), task('other', ['sleep', '375'], {}, dir)]),
    );
    await sup.up();
    expect(await sup.downed()).toBe(1);
    expect(await sup.finished()).toBe(1);
    expect(leftovers('sleep 375')).toEqual([]);
  });
});
