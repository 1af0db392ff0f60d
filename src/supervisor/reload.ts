/**
 * A config reloaded into a running stack (supervisorctl's reread + update): which
 * tasks are new, gone, changed or the same. A task is the same when its normalised
 * spec is: functions (hooks, function strategies) compare by their source, since a
 * reload makes new function objects for unchanged code.
 */
import type { ReloadSummary, StackSpec, TaskSpec } from '../core/model.js';

export type ReloadPlan = Pick<ReloadSummary, 'added' | 'removed' | 'changed' | 'unchanged'>;

export function planReload(current: StackSpec, next: StackSpec): ReloadPlan {
  const before = new Map(current.tasks.map((spec) => [spec.name, fingerprint(spec)]));
  const after = new Set(next.tasks.map((spec) => spec.name));
  const plan: ReloadPlan = { added: [], removed: [], changed: [], unchanged: [] };
  for (const spec of next.tasks) {
    const old = before.get(spec.name);
    if (old === undefined) plan.added.push(spec.name);
    else (old === fingerprint(spec) ? plan.unchanged : plan.changed).push(spec.name);
  }
  plan.removed = current.tasks.map((spec) => spec.name).filter((name) => !after.has(name));
  return plan;
}

/** The spec as comparable text: functions by source, RegExps by literal. */
export function fingerprint(spec: TaskSpec): string {
  return JSON.stringify(spec, (_key, value: unknown) => {
    if (typeof value === 'function') return `fn:${value.toString()}`;
    if (value instanceof RegExp) return `re:${String(value)}`;
    return value;
  });
}

/** What a reload cannot change in a running stack: said, not applied. */
export function unappliedChanges(current: StackSpec, next: StackSpec): string[] {
  const notes: string[] = [];
  if (current.stateDir !== next.stateDir) notes.push('stateDir');
  if (JSON.stringify(current.control) !== JSON.stringify(next.control)) notes.push('control');
  if (fingerprintPlugins(current) !== fingerprintPlugins(next)) notes.push('plugins');
  return notes;
}

function fingerprintPlugins(stack: StackSpec): string {
  return JSON.stringify(stack.plugins, (_key, value: unknown) => (typeof value === 'function' ? `fn:${value.toString()}` : value));
}
