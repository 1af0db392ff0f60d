/** Wording shared by every config message: what was given, what is allowed. */
import { isRegExp } from 'node:util/types';
import { didYouMean } from '../util/did-you-mean.js';

/** A short, quoted rendering of a user's value for "got …". */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (Array.isArray(value)) return 'an array';
  if (isRegExp(value)) return String(value);
  return 'an object';
}

export const MISSING = 'missing; expected ';

/** `expected X, got Y`, or `missing; expected X` when the value is absent. */
export function expectedMessage(what: string, input: unknown): string {
  return input === undefined ? `${MISSING}${what}` : `expected ${what}, got ${show(input)}`;
}

/** A zod `error` option producing `expectedMessage`. */
export function expected(what: string): { error: (issue: { input?: unknown }) => string } {
  return { error: (issue) => expectedMessage(what, issue.input) };
}

export function unknownFieldMessage(key: string, known: readonly string[]): string {
  const suggestion = didYouMean(key, known);
  if (suggestion !== undefined) return `unknown field \`${key}\` — did you mean \`${suggestion}\`?`;
  return known.length <= 8 ? `unknown field \`${key}\` (allowed: ${known.join(', ')})` : `unknown field \`${key}\``;
}

/** `a`, `a or b`, `a, b or c`. */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`;
}

export const quoted = (items: readonly string[]): string[] => items.map((item) => JSON.stringify(item));
