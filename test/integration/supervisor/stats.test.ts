import { describe, expect, it } from 'vitest';
import type { Supervisor } from '../../../src/supervisor/supervisor.js';
import { harness, stack, task } from './fixtures.js';

const make = harness();

/** The cpu baselines the supervisor keeps, one per process group it measured (private: counted here as a leak check). */
const baselines = (sup: Supervisor): number => (sup as unknown as { orchestra: { stats: { baselines: Map<number, unknown> } } }).orchestra.stats.baselines.size;

describe('cpu/memory sampling', () => {
  it('keeps no baseline of an ended attempt when only filtered status (ps api) is asked for', async () => {
    const { sup } = make(stack((dir) => [task('api', ['sleep', '315'], {}, dir), task('web', ['sleep', '316'], {}, dir)]));
    await sup.up();
    const pids = new Set<number | null>();
    for (let i = 0; i < 20; i++) {
      pids.add(sup.status(['api'])[0]!.pid);
      expect(await sup.restart(['api'])).toEqual({ ok: true, value: ['api'] });
    }
    pids.add(sup.status(['api'])[0]!.pid);
    expect(pids.size).toBe(21);
    // one per running group at most (api's and web's), not one per attempt of api
    expect(baselines(sup)).toBeLessThanOrEqual(2);
  });
});
