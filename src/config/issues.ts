/** zod issues → Diagnostics with the user's path (`tasks[2].restart.backoff`). */
import type * as z from 'zod';
import { error, type Diagnostic } from '../core/diagnostics.js';
import { isObject } from '../util/is-object.js';
import { MISSING, presentButUndefined } from './messages.js';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

const DID_YOU_MEAN = /did you mean `([^`]+)`\?$/;

/**
 * One Diagnostic per issue. A typo'd key (`comand`) also makes the real key look
 * missing; the "did you mean" already says so, so the "missing" one is dropped.
 * `input` is the value the issues are about: a key it holds as `undefined` is not "missing".
 */
export function issuesToDiagnostics(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = [], input?: unknown): Diagnostic[] {
  const diagnostics = issues.flatMap((issue) => {
    const path = formatPath([...prefix, ...issue.path]);
    if (issue.message.startsWith(MISSING) && heldAsUndefined(input, issue.path)) return [error(path, presentButUndefined(issue.message))];
    const messages = issue.code === 'unrecognized_keys' ? issue.message.split('; ') : [issue.message];
    return messages.map((message) => error(path, message));
  });
  const suggested = new Set<string>();
  for (const d of diagnostics) {
    const match = DID_YOU_MEAN.exec(d.message);
    if (match?.[1] !== undefined) suggested.add(d.path === '' ? match[1] : `${d.path}.${match[1]}`);
  }
  return diagnostics.filter((d) => !(d.message.startsWith(MISSING) && suggested.has(d.path)));
}

/** Whether `root` has the key at `path`, with the value `undefined` (`env: { X: process.env.X }`). */
function heldAsUndefined(root: unknown, path: readonly PropertyKey[]): boolean {
  let parent = root;
  for (const key of path.slice(0, -1)) {
    if (!isObject(parent) && !Array.isArray(parent)) return false;
    parent = (parent as Record<PropertyKey, unknown>)[key];
  }
  const last = path.at(-1);
  return last !== undefined && (isObject(parent) || Array.isArray(parent)) && Object.hasOwn(parent, last) && (parent as Record<PropertyKey, unknown>)[last] === undefined;
}
