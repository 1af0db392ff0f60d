import type { TaskInstance } from './instance.js';

/**
 * Stops `set` dependents first: each instance stops once every dependent of it in
 * the set has stopped; independent instances stop in parallel.
 */
export async function stopInOrder(
  set: readonly TaskInstance[],
  dependentsOf: (instance: TaskInstance) => readonly TaskInstance[],
  stop: (instance: TaskInstance) => Promise<void> = (i) => i.stop(),
): Promise<void> {
  const members = new Set(set);
  const memo = new Map<TaskInstance, Promise<void>>();
  const visiting = new Set<TaskInstance>();
  const stopOne = (instance: TaskInstance): Promise<void> => {
    const known = memo.get(instance);
    if (known !== undefined) return known;
    visiting.add(instance);
    const first = dependentsOf(instance).filter((d) => members.has(d) && !visiting.has(d));
    const promise = Promise.all(first.map(stopOne)).then(() => stop(instance));
    memo.set(instance, promise);
    return promise;
  };
  await Promise.all(set.map(stopOne));
}
