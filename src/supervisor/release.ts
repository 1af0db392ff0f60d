/**
 * Dependency release: a pending instance starts as soon as every dependency meets
 * its condition (every instance of a replicated dependency), and is blocked as
 * soon as one of them failed or is blocked. No waves.
 */
import type { DependencyCondition, TaskSpec } from '../core/model.js';
import type { TaskState } from '../core/states.js';

export type Release =
  | { kind: 'go' }
  | { kind: 'wait'; on: string }
  | { kind: 'blocked'; dependency: string };

export interface DependencyView {
  name: string;
  state: TaskState;
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
    if (broken !== undefined) return { kind: 'blocked', dependency: broken.name };
    if (waitingOn === undefined && !instances.every((i) => satisfies(i.state, dependency.condition))) {
      waitingOn = dependency.task;
    }
  }
  return waitingOn === undefined ? { kind: 'go' } : { kind: 'wait', on: waitingOn };
}
