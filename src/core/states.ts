/** The task states of the SPEC. */
export const TASK_STATES = [
  'idle',
  'pending',
  'starting',
  'ready',
  'completed',
  'backoff',
  'stopping',
  'stopped',
  'failed',
  'blocked',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** States in which the task has a live process. */
export const RUNNING_STATES: ReadonlySet<TaskState> = new Set(['starting', 'ready', 'stopping']);

/** States from which nothing more will happen unless a user asks. */
export const SETTLED_STATES: ReadonlySet<TaskState> = new Set([
  'idle',
  'ready',
  'completed',
  'stopped',
  'failed',
  'blocked',
]);
