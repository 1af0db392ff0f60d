import { describe, expect, it } from 'vitest';
import { HeldLines } from '../../../src/render/held-lines.js';

const holder = (): HeldLines => new HeldLines((task, count) => `${task} … ${String(count)} lines not shown`);

describe('the lines the progress view holds back', () => {
  it('keeps everything, in order, while each task stays under the limit', () => {
    const held = holder();
    held.task('db', 'db | a');
    held.note('a note');
    held.task('api', 'api | b\napi | c', 2);
    expect(held.drain()).toEqual(['db | a', 'a note', 'api | b\napi | c']);
    expect(held.drain()).toEqual([]);
  });

  it("keeps a long output's first 200 and last 1,800 lines, one notice between, other tasks untouched", () => {
    const held = holder();
    for (let i = 1; i <= 10_000; i++) {
      held.task('big', `big | ${String(i)}`);
      if (i === 5000) held.task('db', 'db | ready');
    }
    const out = held.drain();
    expect(out).toHaveLength(200 + 1 + 1800 + 1);
    expect(out.slice(0, 200)).toEqual(Array.from({ length: 200 }, (_, i) => `big | ${String(i + 1)}`));
    expect(out[200]).toBe('big … 8000 lines not shown');
    expect(out.at(-1)).toBe('big | 10000');
    expect(out).toContain('db | ready');
    expect(out.indexOf('big | 8201')).toBe(202);
  });

  it('keeps only the head and tail of each task in memory, however long the tasks talk before the view ends', () => {
    const held = holder();
    for (let i = 1; i <= 100_000; i++) {
      held.task('big', `big | ${String(i)}`);
      held.task('other', `other | ${String(i)}`);
    }
    // 200 + 1,800 lines and a notice per task, plus at most as many dropped entries not yet removed
    expect(held.size).toBeLessThanOrEqual(2 * 2 * 2001);
    const out = held.drain();
    expect(out).toHaveLength(2 * 2001);
    expect(out.filter((text) => text.includes('lines not shown'))).toEqual(['big … 98000 lines not shown', 'other … 98000 lines not shown']);
    expect(out.at(-1)).toBe('other | 100000');
  });
});
