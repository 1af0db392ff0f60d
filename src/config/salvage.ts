/**
 * What the cross-task rules can still use of a task that failed its shape check: its
 * good fields. Inside `dependsOn`, `ready` and `health` only the bad property goes
 * (a bad `condition` keeps its dependency's name); elsewhere the whole field goes, so
 * no rule reads a default the user did not choose.
 */
import type * as z from 'zod';
import { isObject } from '../util/is-object.js';
import type { TaskInput } from './define.js';
import { TASK_KEYS, taskSchema } from './schema.js';

type Issue = z.core.$ZodIssue;

const CUT_INSIDE = new Set<PropertyKey>(['dependsOn', 'ready', 'health']);

/** Undefined when the task has no valid name: the rules know it by its name. */
export function salvage(raw: unknown, issues: readonly Issue[]): TaskInput | undefined {
  if (!isObject(raw) || issues.some((issue) => issue.path[0] === 'name')) return undefined;
  // an invalid command is replaced, as no rule looks at it
  let task: Record<string, unknown> = { command: 'true', ...Object.fromEntries(Object.entries(raw).filter(([key]) => TASK_KEYS.has(key))) };
  for (const deep of [true, false]) {
    const parsed = taskSchema.safeParse(task);
    if (parsed.success) return parsed.data;
    task = parsed.error.issues.reduce((kept, issue) => without(kept, issue.path, deep), task);
  }
  const parsed = taskSchema.safeParse(task);
  return parsed.success ? parsed.data : undefined;
}

function without(task: Record<string, unknown>, path: readonly PropertyKey[], deep: boolean): Record<string, unknown> {
  const [key] = path;
  if (key === undefined) return task;
  const cut = deep && CUT_INSIDE.has(key) ? withoutAt(task, path) : undefined;
  if (cut !== undefined && isObject(cut.value)) return cut.value;
  const rest = Object.fromEntries(Object.entries(task).filter(([k]) => k !== key));
  return key === 'command' ? { ...rest, command: 'true' } : rest;
}

/** A copy of `value` without the object property at `path`; undefined when that is an array's element or not there. */
function withoutAt(value: unknown, path: readonly PropertyKey[]): { value: unknown } | undefined {
  const [key, ...rest] = path;
  if (key === undefined) return undefined;
  if (rest.length === 0) {
    return isObject(value) && typeof key === 'string' && key in value
      ? { value: Object.fromEntries(Object.entries(value).filter(([k]) => k !== key)) }
      : undefined;
  }
  if (Array.isArray(value) && typeof key === 'number') {
    const child = withoutAt(value[key], rest);
    return child === undefined ? undefined : { value: (value as unknown[]).map((item, i) => (i === key ? child.value : item)) };
  }
  if (isObject(value) && typeof key === 'string') {
    const child = withoutAt(value[key], rest);
    return child === undefined ? undefined : { value: { ...value, [key]: child.value } };
  }
  return undefined;
}
