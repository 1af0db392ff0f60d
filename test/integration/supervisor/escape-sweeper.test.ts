import { describe, expect, it } from 'vitest';
import { EscapeSweeper } from '../../../src/supervisor/escape-sweeper.js';
import type { Escapee } from '../../../src/supervisor/process/escapees.js';

/** A sweeper over a fake /proc: records every pass and what it asked about. */
function counting(found: Escapee[] = []) {
  const passes: { asked: (task: string, attempt: number) => boolean }[] = [];
  const reported: Escapee[] = [];
  const sweeper = new EscapeSweeper('run1', (e) => reported.push(e), (_run, wanted) => {
    passes.push({ asked: wanted });
    return found.filter((e) => wanted(e.task, e.attempt));
  });
  return { sweeper, passes, reported };
}

describe('escape sweeps', () => {
  it('serves many stops that end together with one /proc pass', async () => {
    const { sweeper, passes } = counting();
    await Promise.all(Array.from({ length: 100 }, (_, i) => sweeper.sweep(`t${i}`, 1, true)));
    expect(passes).toHaveLength(1);
    expect(passes[0]?.asked('t42', 1)).toBe(true);
    expect(passes[0]?.asked('t42', 2)).toBe(false);
  });

  it('lets a crash loop trail the previous pass instead of scanning on every exit', async () => {
    const { sweeper, passes } = counting();
    await sweeper.sweep('a', 1, false);
    const t0 = Date.now();
    await Promise.all([sweeper.sweep('a', 2, false), sweeper.sweep('a', 3, false)]);
    expect(passes).toHaveLength(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(50);
  });

  it('runs a stop at once even while an idle sweep is waiting', async () => {
    const { sweeper, passes } = counting();
    await sweeper.sweep('a', 1, false);
    const idle = sweeper.sweep('a', 2, false);
    const t0 = Date.now();
    await sweeper.sweep('b', 1, true);
    // the idle sweep trails by 100 ms: well under that means the stop did not wait for it
    expect(Date.now() - t0).toBeLessThan(90);
    await idle;
    expect(passes).toHaveLength(2);
    expect(passes[1]?.asked('a', 2)).toBe(true);
  });

  it('reports only the escapees of the attempts asked about, and everything at the end of a down', async () => {
    const escapee = (task: string, attempt: number): Escapee => ({ pid: 999_999_999, task, attempt, command: 'sleep 1', groupLeader: false });
    const { sweeper, reported } = counting([escapee('a', 1), escapee('b', 1)]);
    await sweeper.sweep('a', 1, true);
    expect(reported.map((e) => e.task)).toEqual(['a']);
    await sweeper.sweepAll();
    expect(reported.map((e) => e.task)).toEqual(['a', 'a', 'b']);
  });
});
