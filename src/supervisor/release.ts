/**
 * Dependency release: a pending instance starts as soon as every dependency meets
 * its condition (every instance of a replicated dependency), and is blocked as
 * soon as one of them failed, is blocked, or was stopped on request (a stop that a
 * restart, a reload or a start makes on the way to starting it again is held). No waves.
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

/** `held`: instances whose `stopped` is on the way to a start (see StopHolds), not a stop on request. */
export function checkRelease(spec: TaskSpec, instancesOf: (task: string) => readonly DependencyView[], held: (name: string) => boolean = () => false): Release {
  let waitingOn: string | undefined;
  for (const dependency of spec.dependsOn) {
    const instances = instancesOf(dependency.task);
    const broken = instances.find((i) => i.state === 'failed' || i.state === 'blocked' || (i.state === 'stopped' && !held(i.name)));
    if (broken !== undefined) return { kind: 'blocked', dependency: broken };
    if (waitingOn === undefined && !instances.every((i) => satisfies(i.state, dependency.condition))) {
      waitingOn = dependency.task;
    }
  }
  return waitingOn === undefined ? { kind: 'go' } : { kind: 'wait', on: waitingOn };
}

/** Why `task` will not start: `dependency` failed, was stopped, or is blocked itself (then by which task, at the root). */
export function dependencyFailure(task: string, dependency: DependencyView): Failure {
  if (dependency.state === 'stopped') return { reason: 'dependency-stopped', task, dependency: dependency.name };
  if (dependency.state !== 'blocked') return { reason: 'dependency-failed', task, dependency: dependency.name };
  const cause = dependency.run?.state === 'blocked' ? dependency.run.failure : undefined;
  // a chain that starts at a stop on request is no failure either
  if (cause?.reason === 'dependency-stopped') return { reason: 'dependency-stopped', task, dependency: dependency.name, how: 'blocked', root: cause.root ?? cause.dependency };
  const root = cause?.reason === 'dependency-failed' ? (cause.root ?? cause.dependency) : undefined;
  return { reason: 'dependency-failed', task, dependency: dependency.name, how: 'blocked', ...(root === undefined ? {} : { root }) };
}

/**
 * Instance names stopped only on the way to being started again: by a restart, a
 * reload, a start that cancels a backoff or waits out a stop, a `restart: true`
 * dependent following its dependency. While held, their `stopped` makes dependents wait.
 */
export class StopHolds {
  private readonly counts = new Map<string, number>();

  has(name: string): boolean {
    return this.counts.has(name);
  }

  /** Holds the names until the returned function is called (once; later calls do nothing). */
  hold(names: readonly string[]): () => void {
    for (const name of names) this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      for (const name of names) {
        const left = (this.counts.get(name) ?? 1) - 1;
        if (left > 0) this.counts.set(name, left);
        else this.counts.delete(name);
      }
    };
  }
}
