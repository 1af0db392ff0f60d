import type { StackSpec } from '../../core/model.js';
import type { Failure } from '../../core/failure.js';
import type { Result } from '../../core/result.js';
import { ok } from '../../core/result.js';

/**
 * The config names `up [patterns…]` will start: the selection plus its transitive
 * dependencies, or every autostart task when no pattern is given.
 */
export async function selectedTasks(stack: StackSpec, patterns: readonly string[]): Promise<Result<Set<string>, Failure>> {
  if (patterns.length === 0) return ok(new Set(stack.tasks.filter((t) => t.autostart).map((t) => t.name)));
  const graph = await import('../../graph/index.js');
  const selected = graph.selectTasks(stack.tasks, patterns);
  if (!selected.ok) return selected;
  return ok(new Set(graph.withDependencies(graph.graphOfStack(stack), selected.value)));
}

/** Instance names (`api`, `api:0`…) of the given config names, in config order. */
export function instancesOf(stack: StackSpec, names: ReadonlySet<string>): string[] {
  return stack.tasks
    .filter((task) => names.has(task.name))
    .flatMap((task) => (task.replicas > 1 ? Array.from({ length: task.replicas }, (_, i) => `${task.name}:${i}`) : [task.name]));
}

/** The instances among `names` whose task is a oneshot. */
export function oneshotsOf(stack: StackSpec, names: readonly string[]): string[] {
  const oneshot = new Set(stack.tasks.filter((t) => t.oneshot).map((t) => t.name));
  return names.filter((name) => oneshot.has(name.split(':')[0] ?? name));
}
