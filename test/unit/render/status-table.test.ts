import { describe, expect, it } from 'vitest';
import type { TaskStatus } from '../../../src/core/status.js';
import { formatBytes, formatStatusTable, formatUptime } from '../../../src/render/status-table.js';
import { statusRow } from '../../helpers/status-row.js';

const now = Date.parse('2025-01-01T12:00:00Z');
const row = (overrides: Partial<TaskStatus>): TaskStatus => statusRow({ task: overrides.name ?? 'x', ...overrides });

describe('formatStatusTable', () => {
  it('says below the table why a task failed, is blocked or is restarting', () => {
    const text = formatStatusTable(
      [
        row({ name: 'db', state: 'failed', exitCode: 3, message: 'exited with code 3' }),
        row({ name: 'api', state: 'blocked', message: 'not started because db failed' }),
        row({ name: 'worker', state: 'backoff', message: 'restarting in 400ms (exited with code 1)' }),
        row({ name: 'web', state: 'pending', message: 'waiting for api' }),
      ],
      now,
    );
    expect(text.split('\n').slice(-5)).toEqual([
      '',
      'db (failed): exited with code 3',
      'api (blocked): not started because db failed',
      'worker (backoff): restarting in 400ms (exited with code 1)',
      '',
    ]);
  });

  it('aligns columns and shows uptime, cpu and memory in human units', () => {
    const text = formatStatusTable(
      [
        row({
          name: 'db',
          state: 'ready',
          pid: 4242,
          startedAt: '2025-01-01T11:56:48Z',
          cpu: 1.25,
          memory: 12.5 * 1024 * 1024,
          ready: 'tcp:5432',
        }),
        row({ name: 'migrate', state: 'completed', exitCode: 0, startedAt: '2025-01-01T11:56:49Z', ready: 'spawned' }),
        row({ name: 'worker', state: 'failed', exitCode: 1, restarts: 3 }),
      ],
      now,
    );
    expect(text).toBe(
      [
        'NAME     STATE      PID   UPTIME  RESTARTS  EXIT  CPU   MEM      READY',
        'db       ready      4242  3m12s   0         -     1.3%  12.5 MB  tcp:5432',
        'migrate  completed  -     -       0         0     -     -        spawned',
        'worker   failed     -     -       3         1     -     -        spawned',
        '',
      ].join('\n'),
    );
  });

  it('adds HEALTH and DESCRIPTION only when a task has one', () => {
    const text = formatStatusTable(
      [
        row({ name: 'api', state: 'ready', health: 'unhealthy', description: 'the public API' }),
        row({ name: 'db', state: 'ready' }),
      ],
      now,
    );
    expect(text).toBe(
      [
        'NAME  STATE  HEALTH     PID  UPTIME  RESTARTS  EXIT  CPU  MEM  READY    DESCRIPTION',
        'api   ready  unhealthy  -    -       0         -     -    -    spawned  the public API',
        'db    ready  -          -    -       0         -     -    -    spawned',
        '',
      ].join('\n'),
    );
  });

  it('prints only the header for no rows', () => {
    expect(formatStatusTable([], now)).toBe('NAME  STATE  PID  UPTIME  RESTARTS  EXIT  CPU  MEM  READY\n');
  });
});

describe('human units', () => {
  it.each([
    [0, '0s'],
    [59_999, '59s'],
    [192_000, '3m12s'],
    [2 * 3_600_000 + 5 * 60_000, '2h05m'],
    [3 * 86_400_000 + 4 * 3_600_000, '3d4h'],
  ])('formats an uptime of %i ms as %s', (ms, text) => {
    expect(formatUptime(ms)).toBe(text);
  });

  it.each([
    [512, '512 B'],
    [2048, '2.0 KB'],
    [1.5 * 1024 ** 2, '1.5 MB'],
    [3 * 1024 ** 3, '3.0 GB'],
  ])('formats %i bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
