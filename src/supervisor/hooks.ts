/**
 * Runs a lifecycle hook of the task and then of every plugin, in order. A hook
 * that throws (or rejects) becomes a `hook-error` Failure; the caller decides
 * whether that is fatal (preStart) or a warning (the others).
 */
import type { Failure } from '../core/failure.js';
import type { HookContext, HookName, PluginSpec, TaskHooks } from '../core/model.js';

export async function runHooks(
  name: HookName,
  context: HookContext,
  task: TaskHooks,
  plugins: readonly PluginSpec[],
): Promise<Failure[]> {
  const hooks = [{ owner: undefined, hook: task[name] }, ...plugins.map((p) => ({ owner: p.name, hook: p.hooks[name] }))];
  const failures: Failure[] = [];
  for (const { owner, hook } of hooks) {
    if (hook === undefined) continue;
    try {
      await hook(context);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const label = owner === undefined ? name : `${owner}.${name}`;
      failures.push({ reason: 'hook-error', task: context.task, hook: label, message });
    }
  }
  return failures;
}

export function hasHook(name: HookName, task: TaskHooks, plugins: readonly PluginSpec[]): boolean {
  return task[name] !== undefined || plugins.some((p) => p.hooks[name] !== undefined);
}
