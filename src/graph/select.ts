import type { Failure } from '../core/failure.js';
import { err, ok, type Result } from '../core/result.js';
import { compilePattern, patternError, type NameTest } from './pattern.js';

export interface SelectableTask {
  name: string;
  tags: readonly string[];
}

/**
 * The names selected by `patterns`: exact names, globs (`api-*`), tags (`@backend`,
 * globs allowed after the `@`) or `/regex/flags`. Works on config names and on
 * instance names alike; an instance `api:1` also matches by its base name `api`.
 * No patterns select every task. Result order follows `tasks`. Every pattern must
 * match something; those that do not are reported together as `no-match`.
 */
export function selectTasks(tasks: readonly SelectableTask[], patterns: readonly string[]): Result<string[], Failure> {
  if (patterns.length === 0) return ok(tasks.map((task) => task.name));
  const selected = new Set<string>();
  const unmatched: string[] = [];
  for (const pattern of patterns) {
    const matches = tasks.filter(matcher(pattern));
    if (matches.length === 0) unmatched.push(pattern);
    for (const task of matches) selected.add(task.name);
  }
  if (unmatched.length > 0) return err(noMatch(tasks, unmatched));
  return ok(tasks.filter((task) => selected.has(task.name)).map((task) => task.name));
}

/** The unmatched patterns, with those that do not compile and, for a `@tag`, the tags there are. */
export function noMatch(tasks: readonly SelectableTask[], unmatched: string[]): Failure {
  const failure: Failure = { reason: 'no-match', patterns: unmatched, known: tasks.map((task) => task.name) };
  const invalid = unmatched.flatMap((pattern) => {
    const why = patternError(pattern);
    return why === undefined ? [] : [{ pattern, why }];
  });
  const tags = unmatched.some((pattern) => pattern.startsWith('@')) ? [...new Set(tasks.flatMap((task) => task.tags))] : undefined;
  return { ...failure, ...(invalid.length > 0 ? { invalid } : {}), ...(tags === undefined ? {} : { tags }) };
}

function matcher(pattern: string): (task: SelectableTask) => boolean {
  if (pattern.startsWith('@') && pattern.length > 1) {
    const test = compilePattern(pattern.slice(1));
    return test === undefined ? () => false : (task) => task.tags.some(test);
  }
  const test = compilePattern(pattern);
  return test === undefined ? () => false : (task) => matchesName(test, task.name);
}

function matchesName(test: NameTest, name: string): boolean {
  if (test(name)) return true;
  const colon = name.lastIndexOf(':');
  return colon > 0 && test(name.slice(0, colon));
}
