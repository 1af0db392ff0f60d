/** Ready strategies arrive as data (`{ kind: ... }`, from the `ready` builders) or plain functions. */
import { isRegExp } from 'node:util/types';
import * as z from 'zod';
import type { ReadyInput } from './define.js';
import { didYouMean } from '../util/did-you-mean.js';
import { isObject } from '../util/is-object.js';
import { expectedMessage, numberInQuotes, show } from './messages.js';
import { checked, command, dispatch, duration, func, nonEmpty, oneOf, port, positiveDuration, strict, stringRecord, text } from './schema-parts.js';

const httpUrl = checked<string>('an http(s) URL like "http://127.0.0.1:3000/health"', (v) => {
  if (typeof v !== 'string' || !URL.canParse(v)) return false;
  const protocol = new URL(v).protocol;
  return protocol === 'http:' || protocol === 'https:';
});

const statusCode = checked<number>(
  'an HTTP status from 100 to 599',
  (v) => Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 599,
  numberInQuotes,
);
const statusList = dispatch<number | number[]>((v) =>
  Array.isArray(v) ? z.array(statusCode).min(1, { error: 'expected at least one HTTP status' }) : statusCode,
);

// Recursion (all/any) goes through a getter so the schemas can refer to each other.
const strategies = (): z.ZodType =>
  z.array(readyInputSchema, { error: (issue) => `${expectedMessage('an array of ready strategies', issue.input)} — give them as one array: ready.all([a, b]), ready.any([a, b])` }).min(1, {
    error: 'expected at least one ready strategy',
  });

const KINDS = {
  log: () =>
    strict({
      kind: z.literal('log'),
      pattern: checked<RegExp>('a RegExp like /listening on/', (v) => isRegExp(v), patternWhy),
      stream: oneOf(['stdout', 'stderr', 'both']).optional(),
    }),
  delay: () => strict({ kind: z.literal('delay'), duration }),
  tcp: () => strict({ kind: z.literal('tcp'), host: nonEmpty.optional(), port }),
  http: () =>
    strict({
      kind: z.literal('http'),
      url: httpUrl,
      status: statusList.optional(),
      method: nonEmpty.optional(),
      headers: stringRecord.optional(),
      timeout: positiveDuration.optional(),
    }),
  file: () => strict({ kind: z.literal('file'), path: nonEmpty }),
  pipe: () => strict({ kind: z.literal('pipe') }),
  command: () => strict({ kind: z.literal('command'), command, timeout: positiveDuration.optional() }),
  notify: () => strict({ kind: z.literal('notify') }),
  all: () => strict({ kind: z.literal('all'), strategies: strategies() }),
  any: () => strict({ kind: z.literal('any'), strategies: strategies() }),
  function: () => strict({ kind: z.literal('function'), fn: func(), label: text }),
  plugin: () => strict({ kind: z.literal('plugin'), name: nonEmpty, params: z.unknown().optional() }),
} as const;

/** Why a string is not a pattern: not a regular expression at all, or text meant for `ready.log("…")`. */
function patternWhy(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    new RegExp(value);
  } catch (e) {
    const reason = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    return `not a valid regular expression: ${reason}`;
  }
  return `write ${String(new RegExp(value))} for a regular expression, or ready.log(${JSON.stringify(value)}) to match the text as is`;
}

type Kind = keyof typeof KINDS;
const KIND_NAMES = Object.keys(KINDS);
const cache = new Map<Kind, z.ZodType>();

function schemaFor(kind: Kind): z.ZodType {
  let schema = cache.get(kind);
  if (schema === undefined) {
    schema = KINDS[kind]();
    cache.set(kind, schema);
  }
  return schema;
}

const isKind = (value: unknown): value is Kind => typeof value === 'string' && Object.hasOwn(KINDS, value);

const STRATEGY = 'a ready strategy like ready.tcp(5432), or a function';

export const readyInputSchema: z.ZodType<ReadyInput> = dispatch<ReadyInput>((value) => {
  if (typeof value === 'function') return z.any();
  if (!isObject(value)) return expectedMessage(STRATEGY, value);
  const kind = value.kind;
  if (isKind(kind)) return schemaFor(kind);
  if (kind === undefined) return expectedMessage(builderLike(value) ?? STRATEGY, value);
  return { message: unknownKindMessage(kind), path: ['kind'] };
});

/** `{ tcp: 17000 }` was meant as `ready.tcp(17000)`: the expected text names that builder. */
function builderLike(value: Record<string, unknown>): string | undefined {
  const kind = Object.keys(value).find(isKind);
  if (kind === undefined) return undefined;
  const arg = value[kind];
  return `a ready strategy like ready.${kind}(${isRegExp(arg) || typeof arg === 'number' || typeof arg === 'string' ? show(arg) : '…'})`;
}

function unknownKindMessage(kind: unknown): string {
  if (typeof kind !== 'string') return expectedMessage(`a ready strategy (an object with a \`kind\`), or a function`, kind);
  const suggestion = didYouMean(kind, KIND_NAMES);
  return suggestion === undefined
    ? `unknown ready strategy kind "${kind}"`
    : `unknown ready strategy kind "${kind}" — did you mean "${suggestion}"?`;
}
