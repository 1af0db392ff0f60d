/** Small zod building blocks whose messages say what was given and what is allowed. */
import { constants, platform } from 'node:os';
import * as z from 'zod';
import type { Duration } from '../core/ready-spec.js';
import type { Signal } from '../core/model.js';
import { didYouMean } from '../util/did-you-mean.js';
import { DURATION_UNITS, formatDuration, MAX_TIMER_MS, parseDuration, parseSize } from '../util/duration.js';
import { isObject } from '../util/is-object.js';
import { andList, expected, expectedMessage, numberInQuotes, orList, quoted, unknownFieldMessage } from './messages.js';

/** A strict object: an unknown key is reported with a did-you-mean; `why` explains a value that is no object. */
export function strict<S extends z.ZodRawShape>(shape: S, what = 'an object', why?: (value: unknown) => string | undefined) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => unknownFieldMessage(key, known)).join('; ')
        : expectedMessage(what, issue.input, why?.(issue.input)),
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

/** A value that passes `test`, else `expected <what>, got …`, with `why` explaining a near miss. */
export function checked<T>(what: string, test: (value: unknown) => boolean, why?: (value: unknown) => string | undefined) {
  return z.custom<T>(test, { error: (issue) => expectedMessage(what, issue.input, why?.(issue.input)) });
}

const isNegative = (v: unknown): boolean =>
  (typeof v === 'number' && v < 0) || (typeof v === 'string' && /^\s*-\s*(\d|\.\d)/.test(v));

const DURATION = 'a duration like "500ms", "2s", "1m" or a number of milliseconds';
const LONGEST = `at most ${formatDuration(MAX_TIMER_MS)} (the longest timer Node can set)`;
const UNIT = /^\s*[\d.]+\s*([a-z]+)\s*$/i;

const durationMs = (v: unknown): number | undefined => (typeof v === 'number' || typeof v === 'string' ? parseDuration(v) : undefined);

function durationWhy(v: unknown): string | undefined {
  if (isNegative(v)) return 'a duration must not be negative';
  if (typeof v === 'number') return 'a duration must be a finite number';
  const unit = typeof v === 'string' ? UNIT.exec(v)?.[1] : undefined;
  if (unit === undefined) return undefined;
  const lower = unit.toLowerCase();
  if (DURATION_UNITS.includes(lower)) {
    const amount = (v as string).trim().slice(0, -unit.length).trim();
    if (parseDuration(amount) === undefined) return `${JSON.stringify(amount)} is not a number`;
    return `units are lower case: write ${JSON.stringify((v as string).trim().replace(unit, lower))}`;
  }
  return `${JSON.stringify(unit)} is not a unit (the units are ${andList([...DURATION_UNITS])})`;
}

export const duration = z.custom<Duration>().superRefine((value, ctx) => {
  const ms = durationMs(value);
  if (ms === undefined) ctx.addIssue({ code: 'custom', message: expectedMessage(DURATION, value, durationWhy(value)) });
  else if (ms > MAX_TIMER_MS) ctx.addIssue({ code: 'custom', message: expectedMessage(LONGEST, value) });
});

/** A duration that cannot work as 0: a timeout that always expires, an interval that never waits. */
export const positiveDuration = duration.superRefine((value, ctx) => {
  if (durationMs(value) === 0) ctx.addIssue({ code: 'custom', message: expectedMessage(DURATION, value, 'this duration must be more than 0') });
});

export const size = checked<number | string>(
  'a size like "512KB", "10MB" or "1GB", or a number of bytes',
  (v) => (typeof v === 'number' || typeof v === 'string') && parseSize(v) !== undefined,
  (v) => (isNegative(v) || v === 0 ? 'a size must be more than 0' : typeof v === 'number' ? 'a number of bytes is a whole number' : undefined),
);

export const text = z.string(expected('a string'));
export const nonEmpty = z.string(expected('a non-empty string')).min(1, expected('a non-empty string'));
export const bool = z.boolean(expected('true or false'));
export const func = <T>() => checked<T>('a function', (v) => typeof v === 'function');

export const int = (min: number, max = Number.MAX_SAFE_INTEGER, what = `an integer ≥ ${min}`, why: (v: unknown) => string | undefined = numberInQuotes) =>
  checked<number>(what, (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max, why);

export const port = int(1, 65_535, 'a port number from 1 to 65535', (v) => numberInQuotes(v, 'Number(process.env.PORT)'));

export const positive = checked<number>('a number > 0', (v) => typeof v === 'number' && Number.isFinite(v) && v > 0, numberInQuotes);

/** A number or boolean where a string belongs is almost always a missing pair of quotes. */
const quoteIt = (v: unknown): string | undefined =>
  typeof v === 'number' || typeof v === 'boolean' ? `write "${String(v)}" (with quotes)` : undefined;

const stringValue = checked<string>('a string', (v) => typeof v === 'string', quoteIt);

export const stringArray = dispatch<string[]>((value) => {
  if (Array.isArray(value)) return z.array(stringValue);
  const why = typeof value === 'string' ? `write [${JSON.stringify(value)}] for a list of one` : undefined;
  return expectedMessage('an array of strings', value, why);
});

export const stringRecord = z.record(z.string(), stringValue, expected('an object of strings'));

/** Node refuses a NUL byte in an argument or the environment; a program could not receive it anyway. */
const NUL = 'it holds a NUL byte (\\0), which no program can receive';

function envNameWhy(name: string): string | undefined {
  if (name.includes('=')) return '"=" cannot be part of a name: the value starts after the first "="';
  return name.includes('\0') ? NUL : undefined;
}

/** Environment variables: names neither empty nor holding "=" or NUL, values strings without NUL. */
export const envRecord = z.custom<Record<string, string>>().superRefine((value, ctx) => {
  if (!isObject(value)) {
    ctx.addIssue({ code: 'custom', message: expectedMessage('an object of strings', value) });
    return;
  }
  for (const [name, v] of Object.entries(value)) {
    const nameWhy = envNameWhy(name);
    if (name === '' || nameWhy !== undefined) ctx.addIssue({ code: 'custom', path: [name], message: `key: ${expectedMessage('an environment variable name', name, nameWhy)}` });
    if (typeof v !== 'string') ctx.addIssue({ code: 'custom', path: [name], message: expectedMessage('a string', v, quoteIt(v)) });
    else if (v.includes('\0')) ctx.addIssue({ code: 'custom', path: [name], message: expectedMessage('a string', v, NUL) });
  }
});

export function oneOf<const T extends string>(values: readonly T[]) {
  return checked<T>(
    orList(quoted(values)),
    (v) => typeof v === 'string' && (values as readonly string[]).includes(v),
    (v) => {
      const suggestion = typeof v === 'string' ? didYouMean(v, values) : undefined;
      return suggestion === undefined ? undefined : `did you mean ${JSON.stringify(suggestion)}?`;
    },
  );
}

const SIGNALS = Object.keys(constants.signals);
/** Suggestions come only from these: an edit-distance match over every signal finds aliases like SIGIOT. */
const COMMON_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGKILL', 'SIGUSR1', 'SIGUSR2'];
const SIGNAL = `a signal name in capitals with the SIG prefix, such as ${orList(quoted(COMMON_SIGNALS))}`;

function signalSuggestion(given: string | number): string | undefined {
  // process-compose writes `signal: 15`
  if (typeof given === 'number' || /^\d+$/.test(given.trim())) return SIGNALS.find((name) => constants.signals[name as Signal] === Number(given));
  const upper = given.trim().toUpperCase();
  const prefixed = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  if (SIGNALS.includes(prefixed)) return prefixed;
  return didYouMean(prefixed, COMMON_SIGNALS);
}

/** A well-formed name this platform lacks (SIGBREAK, SIGINFO: in Node's types, not on Linux). */
const FOREIGN_SIGNAL = `a signal that ${platform()} has, such as ${orList(quoted(COMMON_SIGNALS))}`;

function signalMessage(given: unknown, what = SIGNAL): string {
  const suggestion = typeof given === 'string' || typeof given === 'number' ? signalSuggestion(given) : undefined;
  const wellFormed = what === SIGNAL && typeof given === 'string' && /^SIG[A-Z0-9]+$/.test(given);
  return expectedMessage(wellFormed ? FOREIGN_SIGNAL : what, given, suggestion === undefined ? undefined : `did you mean "${suggestion}"?`);
}

export const isSignal = (v: unknown): v is Signal => typeof v === 'string' && SIGNALS.includes(v);

export const signal = z.custom<Signal>(isSignal, { error: (issue) => signalMessage(issue.input) });

export const signalRecord = z.custom<Partial<Record<Signal, Signal>>>().superRefine((value, ctx) => {
  if (!isObject(value)) {
    ctx.addIssue({ code: 'custom', message: expectedMessage('an object mapping signal names to signal names, like { SIGHUP: "SIGUSR1" }', value) });
    return;
  }
  for (const [from, to] of Object.entries(value)) {
    if (!isSignal(from)) ctx.addIssue({ code: 'custom', path: [from], message: `key: ${signalMessage(from)}` });
    if (!isSignal(to)) ctx.addIssue({ code: 'custom', path: [from], message: signalMessage(to) });
  }
});

const NAME = /^[A-Za-z0-9_.-]+$/;
const NAME_BAD_CHAR = /[^A-Za-z0-9_.-]/u;
export const taskName = checked<string>(
  'a name made of letters, digits, "_", "." and "-"',
  (v) => typeof v === 'string' && NAME.test(v),
  (v) => {
    const bad = typeof v === 'string' ? NAME_BAD_CHAR.exec(v)?.[0] : undefined;
    if (bad === undefined) return undefined;
    return bad === ' ' ? 'spaces are not allowed' : `${JSON.stringify(bad)} is not allowed`;
  },
);

const COMMAND = 'a command: a string (run by /bin/sh -c) or an array like ["node", "server.js"]';

export const command = dispatch<string | string[]>((value) => {
  if (typeof value === 'string') {
    if (value.includes('\0')) return expectedMessage(COMMAND, value, NUL);
    if (value.trim() !== '') return z.string();
    return expectedMessage(COMMAND, value, value === '' ? undefined : 'it is blank');
  }
  if (!Array.isArray(value)) return expectedMessage(COMMAND, value);
  if (value.length === 0) return expectedMessage(COMMAND, value, 'an array needs at least the program name');
  const bad = value.findIndex((part) => typeof part !== 'string');
  if (bad >= 0) return { path: [bad], message: expectedMessage('a string (each part of an array command is one argument)', value[bad], quoteIt(value[bad])) };
  if (value[0] === '') return { path: [0], message: expectedMessage('the program name', value[0]) };
  const nul = value.findIndex((part) => (part as string).includes('\0'));
  if (nul >= 0) return { path: [nul], message: expectedMessage('a string (each part of an array command is one argument)', value[nul], NUL) };
  return z.array(z.string());
});
