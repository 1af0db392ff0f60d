/** Drives the library Supervisor in-process and records every event it emits. */
import { join } from 'node:path';
import type { SupervisorEvent } from '../../../src/core/events.js';
import type { TaskState } from '../../../src/core/states.js';
import { validateConfig } from '../../../src/config/index.js';
import { Supervisor, type SupervisorOptions } from '../../../src/supervisor/supervisor.js';
import { waitFor } from './wait.js';

export interface Supervised {
  sup: Supervisor;
  events: SupervisorEvent[];
  /** Waits for (and returns) the first recorded event, from `from` on, matching `match`. */
  waitEvent<T extends SupervisorEvent['type']>(
    type: T,
    match?: (event: Extract<SupervisorEvent, { type: T }>) => boolean,
    timeoutMs?: number,
    from?: number,
  ): Promise<Extract<SupervisorEvent, { type: T }>>;
  waitState(task: string, state: TaskState, timeoutMs?: number): Promise<void>;
  /** The sequence of states `task` went through. */
  states(task: string): TaskState[];
  of<T extends SupervisorEvent['type']>(type: T, task?: string): Extract<SupervisorEvent, { type: T }>[];
  output(task: string): string[];
}

export function supervise(input: Record<string, unknown>, dir: string, tag: string, options: SupervisorOptions = {}): Supervised {
  const env = { ...(input.env as Record<string, string> | undefined), IGNITE_FAULT_TAG: tag };
  const validated = validateConfig({ ...input, env }, join(dir, 'ignite.config.mjs'));
  if (!validated.ok) throw new Error(`test config is invalid:\n${JSON.stringify(validated.error, null, 2)}`);
  const sup = new Supervisor(validated.value, options);
  const events: SupervisorEvent[] = [];
  sup.on('event', (event: SupervisorEvent) => events.push(event));
  const of = <T extends SupervisorEvent['type']>(type: T, task?: string): Extract<SupervisorEvent, { type: T }>[] =>
    events.filter(
      (e): e is Extract<SupervisorEvent, { type: T }> => e.type === type && (task === undefined || ('task' in e && e.task === task)),
    );
  return {
    sup,
    events,
    of,
    waitEvent: (type, match, timeoutMs = 10_000, from = 0) =>
      waitFor(
        () => events.slice(from).find((e) => e.type === type && (match === undefined || match(e as never))) as never,
        `event ${type}${match === undefined ? '' : ` matching ${match.toString()}`}`,
        timeoutMs,
      ),
    waitState: async (task, state, timeoutMs = 10_000) => {
      await waitFor(
        () => events.some((e) => e.type === 'task-state' && e.task === task && e.state === state),
        `${task} to be ${state} (states so far: ${of('task-state', task).map((e) => e.state).join(' → ')})`,
        timeoutMs,
      );
    },
    states: (task) => of('task-state', task).map((e) => e.state),
    output: (task) => of('task-output', task).flatMap((e) => e.lines),
  };
}
