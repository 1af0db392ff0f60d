import type { TaskStatus } from '../../src/core/status.js';

/** A `ps --json` row of a task that is not running, with `overrides` on top (`task` follows the name). */
export function statusRow(overrides: Partial<TaskStatus> = {}): TaskStatus {
  const name = overrides.name ?? 'x';
  return {
    name,
    state: 'pending',
    pid: null,
    restarts: 0,
    exitCode: null,
    startedAt: null,
    readyAt: null,
    cpu: null,
    memory: null,
    task: name.split(':')[0] ?? name,
    ready: 'spawned',
    health: null,
    description: null,
    tags: [],
    message: null,
    reason: null,
    command: 'sleep 60',
    endedAt: null,
    ...overrides,
  };
}
