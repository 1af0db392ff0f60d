/** Small zod building blocks whose messages say what was given and what is allowed. */
import { constants } from 'node:os';
import * as z from 'zod';
import type { Duration } from '../core/ready-spec.js';
import type { Signal } from '../core/model.js';
import { didYouMean } from '../util/did-you-mean.js';
import { parseDuration, parseSize } from '../util/duration.js';
import { expected, expectedMessage, orList, quoted, show, unknownFieldMessage } from './messages.js';

/** A strict object: an unknown key is reported with a did-you-mean. */
export function strict<S extends z.ZodRawShape>(shape: S, what = 'an object') {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => unknownFieldMessage(key, known)).join('; ')
        : expectedMessage(what, issue.input),
  });
}

/**
 * Picks the schema for a value by looking at it (a union that reports the errors of
 * the one branch the user meant), or returns a message when no branch fits.
 * The parsed value is the user's own value, so functions, regexes and task objects keep their identity.
 */
export function dispatch<T>(pick: (value: unknown) => z.ZodType | string | { message: string; path: PropertyKey[] }): z.ZodType<T> {
  return z.custom<T>().superRefine((value, ctx) => {
    const chosen = pick(value);
    if (typeof chosen === 'string') {
      ctx.addIssue({ code: 'custom', message: chosen });
      return;
    }
    if (!(chosen instanceof z.ZodType)) {
      ctx.addIssue({ code: 'custom', message: chosen.message, path: chosen.path });
      return;
    }
    const result = chosen.safeParse(value);
    if (result.success) return;
    for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });
}

/** A value that passes `test`, else `expected <what>, got …`. */
export function checked<T>(what: string, test: (value: unknown) => boolean) {
  return z.custom<T>(test, { error: (issue) => expectedMessage(what, issue.input) });
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const duration = checked<Duration>(
  'a duration like "500ms" or "2s"',
  (v) => (typeof v === 'number' || typeof v === 'string') && parseDuration(v) !== undefined,
);

export const size = checked<number | string>(
  'a size like "10MB" or a number of bytes',
  (v) => (typeof v === 'number' || typeof v === 'string') && parseSize(v) !== undefined,
);

export const text = z.string(expected('a string'));
export const nonEmpty = z.string(expected('a non-empty string')).min(1, expected('a non-empty string'));
export const bool = z.boolean(expected('true or false'));
export const func = <T>() => checked<T>('a function', (v) => typeof v === 'function');

export const int = (min: number, max = Number.MAX_SAFE_INTEGER, what = `an integer ≥ ${min}`) =>
  checked<number>(what, (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max);

export const port = int(1, 65_535, 'a port number from 1 to 65535');

export const positive = checked<number>('a number > 0', (v) => typeof v === 'number' && Number.isFinite(v) && v > 0);

export const stringArray = z.array(text, expected('an array of strings'));
export const stringRecord = z.record(z.string(), text, expected('an object of strings'));

export function oneOf<const T extends string>(values: readonly T[]) {
  return checked<T>(orList(quoted(values)), (v) => typeof v === 'string' && (values as readonly string[]).includes(v));
}

const SIGNALS = Object.keys(constants.signals);

export const signal = z.custom<Signal>((v) => typeof v === 'string' && SIGNALS.includes(v), {
  error: (issue) => {
    const given = issue.input;
    const suggestion =
      typeof given === 'string'
        ? SIGNALS.includes(`SIG${given.toUpperCase()}`)
          ? `SIG${given.toUpperCase()}`
          : didYouMean(given, SIGNALS)
        : undefined;
    const base = expectedMessage('a signal name like "SIGTERM"', given);
    return suggestion === undefined ? base : `${base} — did you mean "${suggestion}"?`;
  },
});

export const signalRecord = z.custom<Partial<Record<Signal, Signal>>>().superRefine((value, ctx) => {
  if (!isObject(value)) {
    ctx.addIssue({ code: 'custom', message: expectedMessage('an object mapping signal names to signal names', value) });
    return;
  }
  for (const [from, to] of Object.entries(value)) {
    for (const [candidate, label] of [[from, 'a signal name as key'], [to, 'a signal name']] as const) {
      if (signal.safeParse(candidate).success) continue;
      ctx.addIssue({ code: 'custom', path: [from], message: `expected ${label} like "SIGTERM", got ${show(candidate)}` });
    }
  }
});

const NAME = /^[A-Za-z0-9_.-]+$/;
export const taskName = checked<string>(
  'a name made of letters, digits, "_", "." and "-"',
  (v) => typeof v === 'string' && NAME.test(v),
);

const COMMAND = 'a command: a string (run by /bin/sh -c) or an array like ["node", "server.js"]';
export const command = checked<string | string[]>(
  COMMAND,
  (v) =>
    (typeof v === 'string' && v.trim() !== '') ||
    (Array.isArray(v) && v.length > 0 && v.every((part) => typeof part === 'string') && v[0] !== ''),
);
