import { describeReady } from '../core/ready-spec.js';
import type { TaskStatus } from '../core/status.js';
import { formatCommand } from '../graph/describe.js';
import { describeFailure } from '../core/failure-text.js';
import { formatDuration } from '../util/duration.js';
import type { TaskInstance } from './instance.js';
import type { GroupSample } from './process/stats.js';

// one line each, ending with what the task printed last: `up -d` and `ps` users see no output
const ONE_LINE = { output: 'last' } as const;

const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString());

/** One `ps` row for an instance; cpu/memory from the latest sample of its group. */
export function statusOf(instance: TaskInstance, sample: GroupSample | undefined): TaskStatus {
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
    health: instance.health,
    description: spec.description ?? null,
    tags: spec.tags,
    message: messageOf(instance),
    command: formatCommand(spec.command),
    endedAt: 'endedAt' in run ? iso(run.endedAt) : null,
  };
}

function messageOf(instance: TaskInstance): string | null {
  const run = instance.run;
  switch (run.state) {
    case 'failed':
    case 'blocked':
      return describeFailure(run.failure, ONE_LINE);
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
