/** Wording shared by every config message: what was given, what is allowed. */
import { isRegExp } from 'node:util/types';
import { didYouMean } from '../util/did-you-mean.js';

const SHORT = 60;

/** A short, quoted rendering of a user's value for "got …". */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    if (value === '') return 'an empty string ""';
    return JSON.stringify(value.length > SHORT ? `${value.slice(0, SHORT - 3)}...` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (Array.isArray(value)) return showArray(value);
  if (isRegExp(value)) return String(value);
  return showObject(value);
}

function showArray(value: readonly unknown[]): string {
  if (value.length === 0) return 'an empty array []';
  const primitive = value.every((item) => item === null || ['string', 'number', 'boolean'].includes(typeof item));
  if (primitive) {
    const text = `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
    if (text.length <= SHORT) return text;
  }
  return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
}

/** `an object { db: … }`: the keys say which object the user wrote where another value belongs. */
function showObject(value: object): string {
  const keys = Object.keys(value);
  if (keys.length === 0) return 'an empty object {}';
  const listed = keys.slice(0, 3).map((key) => `${key}: …`);
  if (keys.length > 3) listed.push('…');
  return `an object { ${listed.join(', ')} }`;
}

export const MISSING = 'missing; expected ';

/**
 * `expected X, got Y`, or `missing; expected X` when the value is absent; `why` explains
 * a near miss (after " — "), or, when it opens with "(", says what Y is.
 */
export function expectedMessage(what: string, input: unknown, why?: string): string {
  if (input === undefined) return `${MISSING}${what}`;
  const base = `expected ${what}, got ${show(input)}`;
  if (why === undefined) return base;
  return why.startsWith('(') ? `${base} ${why}` : `${base} — ${why}`;
}

/**
 * For a key that is there but undefined, which "missing" would misdescribe:
 * `missing; expected X` → `expected X, got undefined (an unset environment variable?)`.
 */
export function presentButUndefined(missingMessage: string): string {
  return `expected ${missingMessage.slice(MISSING.length)}, got undefined (an unset environment variable?)`;
}

/**
 * A task list entry that is `undefined`: almost always a task constant used above its
 * declaration (`ignite init --task` output appended below `export default`). The bundled
 * config turns the temporal dead zone's ReferenceError into a silent `undefined`.
 */
export const UNDECLARED_TASK = undeclared('a task object (see defineTask)', '`export default`');

/** The same in `dependsOn: [b]` above `const b = defineTask(…)`. */
export function undeclared(what: string, above: string): string {
  return `expected ${what}, got undefined (a task constant used before its declaration? declare each task above ${above})`;
}

/** `(a string) — write 200`: a number in quotes where a number belongs; `instead` is another way to write it. */
export function numberInQuotes(value: unknown, instead?: string): string | undefined {
  if (typeof value !== 'string' || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return `(a string) — write ${value.trim()}${instead === undefined ? '' : `, or ${instead}`}`;
}

/** A zod `error` option producing `expectedMessage`. */
export function expected(what: string): { error: (issue: { input?: unknown }) => string } {
  return { error: (issue) => expectedMessage(what, issue.input) };
}

export function unknownFieldMessage(key: string, known: readonly string[]): string {
  const suggestion = didYouMean(key, known);
  if (suggestion !== undefined) return `unknown field \`${key}\` — did you mean \`${suggestion}\`?`;
  return `unknown field \`${key}\` (allowed: ${known.join(', ')})`;
}

/** `a`, `a or b`, `a, b or c`. */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

export const quoted = (items: readonly string[]): string[] => items.map((item) => JSON.stringify(item));

/** The first `max` names quoted, then `and N more`, so a long list stays one readable line. */
export function nameList(names: readonly string[], max = 12): string {
  const shown = quoted(names.slice(0, max));
  if (names.length > max) shown.push(`${names.length - max} more`);
  return andList(shown);
}
