import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPrettyRenderer } from '../../../src/render/pretty.js';

// listr2 draws its list on process.stdout (whatever the view's `out`), and only when that is a
// terminal: here a 120x40 one that records each write (the list is redrawn in one write)
const drawn: string[] = [];
const saved = ['isTTY', 'columns', 'rows', 'write'].map((key) => [key, Object.getOwnPropertyDescriptor(process.stdout, key)] as const);
beforeEach(() => {
  drawn.length = 0;
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    drawn.push(String(chunk));
    const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    done?.();
    return true;
  };
  for (const [key, value] of Object.entries({ isTTY: true, columns: 120, rows: 40, write }))
    Object.defineProperty(process.stdout, key, { value, configurable: true, writable: true });
});
afterEach(() => {
  for (const [key, descriptor] of saved) {
    if (descriptor === undefined) Reflect.deleteProperty(process.stdout, key);
    else Object.defineProperty(process.stdout, key, descriptor);
  }
});

describe('the progress list on a terminal', () => {
  it('redraws once for a burst of output, not once per line, and still ends on the latest state', async () => {
    const view = createPrettyRenderer({ out: process.stdout, isTTY: true, color: false, names: ['api', 'db'] });
    try {
      view.event({ type: 'task-spawn', task: 'api', pid: 1, attempt: 1, at: 0 });
      view.event({ type: 'task-spawn', task: 'db', pid: 2, attempt: 1, at: 0 });
      await vi.waitFor(() => expect(drawn.join('')).toContain('api  starting'), { timeout: 5000 });

      const before = drawn.length;
      for (let i = 0; i < 200; i++) view.event({ type: 'task-output', task: 'api', stream: 'stdout', lines: [`api line ${String(i)}`], at: 0 });
      view.event({ type: 'task-ready', task: 'db', elapsedMs: 1200, at: 0 });
      expect(drawn.length - before).toBeLessThanOrEqual(1);

      // the latest line is shown once the burst is over
      await vi.waitFor(() => expect(drawn.at(-1)).toContain('api line 199'), { timeout: 5000 });
      view.event({ type: 'task-ready', task: 'api', elapsedMs: 1500, at: 0 });
      await view.settled();
    } finally {
      await view.close();
    }
    // the final list, then the held lines as plain prefixed lines
    expect(drawn.join('')).toMatch(/api {2}ready in 1\.5s\n.*db {3}ready in 1\.2s/);
    await vi.waitFor(() => expect(drawn.join('')).toMatch(/db {3}ready in 1\.2s\n[^]*api \| api line 199/), { timeout: 5000 });
  });
});
