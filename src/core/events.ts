import type { Failure } from './failure.js';
import type { TaskState } from './states.js';

/**
 * The supervisor's typed event union. Renderers, the control plane and tests
 * subscribe to these; the supervisor never writes to stdout itself.
 * `at` is wall-clock milliseconds (Date.now()).
 */
export type SupervisorEvent =
  | { type: 'task-state'; task: string; state: TaskState; previous: TaskState; at: number; failure?: Failure }
  | { type: 'task-waiting'; task: string; on: string; at: number }
  | { type: 'task-spawn'; task: string; pid: number; attempt: number; at: number }
  /** Complete lines the task printed, read together (one event per read, not per line). */
  | { type: 'task-output'; task: string; stream: 'stdout' | 'stderr'; lines: readonly string[]; at: number }
  | { type: 'task-ready'; task: string; elapsedMs: number; at: number }
  | { type: 'task-exit'; task: string; pid: number; code: number | null; signal: string | null; uptimeMs: number; at: number }
  | { type: 'task-restart'; task: string; attempt: number; delayMs: number; at: number }
  | { type: 'task-health'; task: string; healthy: boolean; failures: number; message: string | undefined; at: number }
  | { type: 'task-stats'; task: string; cpu: number; memory: number; at: number }
  | { type: 'task-warning'; task: string; message: string; at: number }
  | { type: 'stack-state'; state: 'starting' | 'settled' | 'stopping' | 'stopped'; at: number };

export type SupervisorEventType = SupervisorEvent['type'];
export type EventOf<T extends SupervisorEventType> = Extract<SupervisorEvent, { type: T }>;
