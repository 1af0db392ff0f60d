/**
 * What one instance's fate does to the others: `onFailure` when it gave up, and
 * `restart: true` dependents following its restart.
 */
import { unreachable } from '../core/result.js';
import type { TaskInstance } from './instance.js';
import { stopInOrder } from './stop-order.js';

export interface StackOps {
  dependentsOf(instance: TaskInstance, transitive?: boolean): TaskInstance[];
  shuttingDown(): boolean;
  down(force: boolean): Promise<void>;
  queueEvaluate(): void;
  /** The instances' stop is on the way to a start; the returned function ends that (and re-evaluates). */
  holdStopped(instances: readonly TaskInstance[]): () => void;
  failureShutdown: boolean;
}

export function onTaskFailed(stack: StackOps, instance: TaskInstance): void {
  switch (instance.spec.onFailure) {
    case 'continue':
      return;
    case 'stop-dependents':
      void stopDependents(stack, instance);
      return;
    case 'shutdown':
      stack.failureShutdown = true;
      void stack.down(false);
      return;
    default:
      unreachable(instance.spec.onFailure);
  }
}

async function stopDependents(stack: StackOps, failed: TaskInstance): Promise<void> {
  const dependents = stack.dependentsOf(failed, true);
  await stopInOrder(dependents, (i) => stack.dependentsOf(i));
  for (const dependent of dependents) {
    dependent.block({ reason: 'dependency-failed', task: dependent.name, dependency: failed.name, how: 'stopped' });
  }
}

/**
 * `instance` was spawned again (after a crash, a health failure, a manual
 * restart): its running dependents declared with `restart: true` stop now and
 * start again once it is ready, and its completed oneshot dependents so declared
 * (a migration) run again then. One that is already stopping (someone asked) is
 * left alone, one stopped by a request meanwhile is not started again, and one
 * that failed or was stopped stays so.
 */
export function followRestart(stack: StackOps, instance: TaskInstance): void {
  if (stack.shuttingDown()) return;
  for (const dependent of stack.dependentsOf(instance)) {
    const follows = dependent.spec.dependsOn.some((d) => d.task === instance.baseName && d.restart);
    if (!follows) continue;
    if (dependent.state === 'completed' && dependent.spec.oneshot) {
      // pending now, it waits for the dependency to meet its condition again
      dependent.request(false);
      continue;
    }
    if (dependent.state !== 'starting' && dependent.state !== 'ready') continue;
    const stops = dependent.stopCount + 1;
    const release = stack.holdStopped([dependent]);
    void dependent.stop().then(() => {
      if (!stack.shuttingDown() && dependent.stopCount === stops) dependent.request(false);
      release();
    });
  }
}
