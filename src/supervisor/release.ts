/**
 * Dependency release: a pending instance starts as soon as every dependency meets
 * its condition (every instance of a replicated dependency), and is blocked as
 * soon as one of them failed or is blocked. No waves.
 */
import type { DependencyCondition, TaskSpec } from '../core/model.js';
import type { Failure } from '../core/failure.js';
import type { TaskState } from '../core/states.js';
import type { TaskRun } from './task-run.js';

export type Release =
  | { kind: 'go' }
  | { kind: 'wait'; on: string }
  | { kind: 'blocked'; dependency: DependencyView };

export interface DependencyView {
  name: string;
  state: TaskState;
  /** Its run, when known: a blocked one carries why, so a chain names the task that failed. */
  run?: TaskRun;
}

export function satisfies(state: TaskState, condition: DependencyCondition): boolean {
  switch (condition) {
    case 'started':
      return state === 'starting' || state === 'ready' || state === 'completed';
    case 'ready':
      return state === 'ready' || state === 'completed';
    case 'completed':
      return state === 'completed';
    default: {
      const never: never = condition;
      return never;
    }
  }
}

export function checkRelease(spec: TaskSpec, instancesOf: (task: string) => readonly DependencyView[]): Release {
  let waitingOn: string | undefined;
  for (const dependency of spec.dependsOn) {
    const instances = instancesOf(dependency.task);
    const broken = instances.find((i) => i.state === 'failed' || i.state === 'blocked');
    if (broken !== undefined) return { kind: 'blocked', dependency: broken };
    if (waitingOn === undefined && !instances.every((i) => satisfies(i.state, dependency.condition))) {
      waitingOn = dependency.task;
    }
  }
  return waitingOn === undefined ? { kind: 'go' } : { kind: 'wait', on: waitingOn };
}

/** Why `task` will not start: `dependency` failed, or is blocked itself (then by which task, at the root). */
export function dependencyFailure(task: string, dependency: DependencyView): Failure {
  if (dependency.state !== 'blocked') return { reason: 'dependency-failed', task, dependency: dependency.name };
  const cause = dependency.run?.state === 'blocked' ? dependency.run.failure : undefined;
  const root = cause?.reason === 'dependency-failed' ? (cause.root ?? cause.dependency) : undefined;
  return { reason: 'dependency-failed', task, dependency: dependency.name, how: 'blocked', ...(root === undefined ? {} : { root }) };
}
