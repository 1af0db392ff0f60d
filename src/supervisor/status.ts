import { describeReady } from '../core/ready-spec.js';
import type { TaskStatus } from '../core/status.js';
import { formatCommand } from '../graph/describe.js';
import { describeFailure } from '../core/failure-text.js';
import { formatDuration } from '../util/duration.js';
import type { Failure } from '../core/failure.js';
import type { TaskState } from '../core/states.js';
import type { TaskInstance } from './instance.js';
import type { GroupSample } from './process/stats.js';

// one line each, ending with what the task printed last: `up -d` and `ps` users see no output
const ONE_LINE = { output: 'last' } as const;

const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString());

/** The current state of an instance, by name (undefined: no such instance any more). */
export type StateOf = (name: string) => TaskState | undefined;

/** One `ps` row for an instance; cpu/memory from the latest sample of its group. */
export function statusOf(instance: TaskInstance, sample: GroupSample | undefined, stateOf: StateOf = () => undefined): TaskStatus {
  const run = instance.run;
  const live = run.state === 'starting' || run.state === 'ready' || run.state === 'stopping';
  const spec = instance.spec;
  return {
    name: instance.name,
    state: run.state,
    pid: live ? instance.pid : null,
    restarts: instance.restarts,
    exitCode: instance.exitCode,
    startedAt: live ? iso(instance.startedAt) : null,
    readyAt: live ? iso(instance.readyAt) : null,
    cpu: live && sample !== undefined ? sample.cpu : null,
    memory: live && sample !== undefined ? sample.memory : null,
    task: instance.baseName,
    ready: describeReady(spec.ready),
    health: live ? instance.health : null,
    description: spec.description ?? null,
    tags: spec.tags,
    message: messageOf(instance, stateOf),
    reason: run.state === 'failed' || run.state === 'blocked' ? run.failure.reason : null,
    command: formatCommand(spec.command),
    endedAt: 'endedAt' in run ? iso(run.endedAt) : null,
  };
}

function messageOf(instance: TaskInstance, stateOf: StateOf): string | null {
  const run = instance.run;
  switch (run.state) {
    case 'failed':
      return describeFailure(run.failure, ONE_LINE);
    case 'blocked':
      return describeFailure(run.failure, ONE_LINE) + sinceThen(run.failure, stateOf);
    case 'backoff':
      return `restarting in ${formatDuration(Math.max(0, run.until - Date.now()))}${run.failure === undefined ? '' : ` (${describeFailure(run.failure, ONE_LINE)})`}`;
    case 'pending':
      return run.waitingOn === undefined ? null : `waiting for ${run.waitingOn}`;
    case 'stopping':
      return run.cause.kind === 'failure' ? describeFailure(run.cause.failure, ONE_LINE) : null;
    case 'idle':
    case 'starting':
    case 'ready':
    case 'completed':
    case 'stopped':
      return null;
    default: {
      const never: never = run;
      return never;
    }
  }
}

/**
 * A blocked task stays blocked when the dependency that blocked it (or the task at the
 * root of the chain) recovers — an `ignite start` of the dependency starts only that —
 * so the reason then says what that task is now, and does not read as still true.
 */
function sinceThen(failure: Failure, stateOf: StateOf): string {
  if (failure.reason !== 'dependency-failed' && failure.reason !== 'dependency-stopped') return '';
  // each task the reason names, with the state it says that task is in
  const rootState: TaskState = failure.reason === 'dependency-stopped' ? 'stopped' : 'failed';
  const claims: [string, TaskState][] = [
    [failure.dependency, failure.how === 'blocked' ? 'blocked' : rootState],
    ...(failure.root === undefined ? [] : [[failure.root, rootState] as [string, TaskState]]),
  ];
  const changed = claims.flatMap(([name, claimed]) => {
    const now = stateOf(name);
    return now === undefined || now === claimed ? [] : [`${name} is ${now} now`];
  });
  return changed.length === 0 ? '' : `; ${changed.join(', ')}`;
}
