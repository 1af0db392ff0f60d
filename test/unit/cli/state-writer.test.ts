import { describe, it, expect, vi } from 'vitest';
import { createStateWriter } from '../../../src/cli/up/state-writer.js';
import type { StateFile } from '../../../src/control/state-file.js';
import type { SupervisorEvent } from '../../../src/core/events.js';

type Control = Parameters<typeof createStateWriter>[0];

/** A control module that records each state written (the file itself is covered by the control tests). */
function recording(): { control: Control; writes: StateFile[] } {
  const writes: StateFile[] = [];
  const control = {
    processStartTime: (pid: number) => pid * 10,
    writeStateFile: (_dir: string, state: StateFile) => {
      writes.push(state);
      return Promise.resolve({ ok: true as const, value: undefined });
    },
  } as unknown as Control;
  return { control, writes };
}

const spawn = (task: string, pid: number): SupervisorEvent => ({ type: 'task-spawn', task, pid, at: Date.now() }) as SupervisorEvent;
const exit = (task: string, pid: number): SupervisorEvent =>
  ({ type: 'task-exit', task, pid, code: 1, signal: null, uptimeMs: 1, at: Date.now() });

describe('state writer', () => {
  it('writes a burst of spawns as one state', async () => {
    const { control, writes } = recording();
    const writer = createStateWriter(control, { stateDir: '/unused', configFile: '/c.ts', warn: () => undefined });
    for (let i = 1; i <= 100; i++) writer.onEvent(spawn(`t${String(i)}`, 1000 + i));
    await vi.waitFor(() => expect(writes.length).toBeGreaterThan(0), { timeout: 2000, interval: 1 });
    expect(writes).toHaveLength(1);
    expect(writes[0]?.children).toHaveLength(100);
    expect(writes[0]?.children[0]).toEqual({ task: 't1', pid: 1001, pgid: 1001, startTime: 10010 });
  });

  it('keeps writes of a crash loop at least 50 ms apart, and the last one is the live state', async () => {
    const { control, writes } = recording();
    const writer = createStateWriter(control, { stateDir: '/unused', configFile: '/c.ts', warn: () => undefined });
    const started = performance.now();
    let pid = 2000;
    writer.onEvent(spawn('loop', pid));
    // a respawn every ~2 ms for ~200 ms
    while (performance.now() - started < 200) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      writer.onEvent(exit('loop', pid));
      writer.onEvent(spawn('loop', ++pid));
    }
    await writer.flush();
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes.length).toBeLessThanOrEqual(7);
    expect(writes.at(-1)?.children).toEqual([{ task: 'loop', pid, pgid: pid, startTime: pid * 10 }]);
  });
});
