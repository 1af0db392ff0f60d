import { describe, expect, it } from 'vitest';
import { dep, harness, logReady, stack, task } from './fixtures.js';

const make = harness();

describe('when up() settles', () => {
  it('waits for a oneshot without a ready strategy to complete, not just to be spawned', async () => {
    const { sup, rec } = make(stack((dir) => [task('migrate', 'sleep 0.4; echo migrated', { oneshot: true }, dir)]));
    const result = await sup.up();
    expect(result).toEqual({ ok: true, value: { started: ['migrate'], failed: [], blocked: [] } });
    expect(sup.status()[0]?.state).toBe('completed');
    expect(rec.of('task-output', 'migrate').flatMap((e) => e.lines)).toEqual(['migrated']);
    const settled = rec.of('stack-state').find((e) => e.state === 'settled');
    expect(settled?.at).toBeGreaterThanOrEqual(rec.of('task-exit', 'migrate')[0]?.at ?? Infinity);
  });

  it('waits for a oneshot with a ready strategy to complete after it became ready', async () => {
    const { sup } = make(
      stack((dir) => [task('seed', 'echo go; sleep 0.4; echo seeded', { oneshot: true, ready: logReady(/go/) }, dir)]),
    );
    await sup.up();
    expect(sup.status()[0]?.state).toBe('completed');
  });

  it('reports a oneshot that fails after being spawned as failed, and a service as started', async () => {
    const { sup } = make(
      stack((dir) => [
        task('migrate', 'sleep 0.3; exit 4', { oneshot: true }, dir),
        task('api', 'echo up; exec sleep 30', { ready: logReady(/up/) }, dir),
        task('worker', ['sleep', '30'], { dependsOn: [dep('migrate', 'completed')] }, dir),
      ]),
    );
    const result = await sup.up();
    expect(result).toEqual({ ok: true, value: { started: ['api'], failed: ['migrate'], blocked: ['worker'] } });
  });

  it('start() of a oneshot also resolves once it completed', async () => {
    const { sup } = make(stack((dir) => [task('job', 'sleep 0.3; echo done', { oneshot: true, autostart: false }, dir)]));
    await sup.up();
    expect(sup.status()[0]?.state).toBe('idle');
    await sup.start(['job']);
    expect(sup.status()[0]?.state).toBe('completed');
  });
});
