/**
 * Configs written as data: `ignite.config.json`, `.yaml`/`.yml`, `.toml`. Each parser is
 * loaded only for its own files; a parse error becomes a syntax failure at its line and column.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { LoadFailure } from '../core/diagnostics.js';
import type { StackSpec } from '../core/model.js';
import { err, ok, type Result } from '../core/result.js';
import { DecimalUmask, fromData, inUserTerms } from './data-input.js';

type Validation = Promise<typeof import('./validate.js')>;
type Location = NonNullable<Extract<LoadFailure, { reason: 'syntax' }>['location']>;

const DATA_EXTENSIONS: ReadonlySet<string> = new Set(['.json', '.yaml', '.yml', '.toml']);

export const isDataConfig = (file: string): boolean => DATA_EXTENSIONS.has(extname(file));

export async function loadDataConfig(file: string, validation: Validation): Promise<Result<StackSpec, LoadFailure>> {
  const parsed = await parseDataFile(file);
  if (!parsed.ok) return parsed;
  const data = fromData(parsed.value);
  const { validateConfig } = await validation;
  const validated = validateConfig(data.input, file);
  const diagnostics = inUserTerms(data, validated.ok ? (validated.value.warnings ?? []) : validated.error);
  if (!validated.ok || diagnostics.some((d) => d.severity === 'error')) return err({ reason: 'invalid', file, diagnostics });
  const stack = validated.value;
  if (diagnostics.length > 0) stack.warnings = diagnostics;
  return ok(stack);
}

/** The file's content as plain data. */
async function parseDataFile(file: string): Promise<Result<unknown, LoadFailure>> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    return err({ reason: 'threw', file, message: (error as Error).message });
  }
  const extension = extname(file);
  const parsed = extension === '.json' ? await parseJsonOnce(text) : extension === '.toml' ? await parseToml(text) : await parseYaml(text);
  if ('value' in parsed) return ok(parsed.value);
  return err({ reason: 'syntax', file, message: parsed.message, ...(parsed.at === undefined ? {} : { location: locate(file, text, parsed.at) }) });
}

/** Where a parser stopped: an offset into the text, or a 1-based line and column. */
type At = number | { line: number; column: number };
type Parsed = { value: unknown } | { message: string; at?: At };

/** An offset past the last line with text (an unclosed bracket at the end) points at the end of that line. */
function locate(file: string, text: string, at: At): Location {
  const { line, column } = typeof at === 'number' ? lineAndColumn(text, Math.min(at, text.trimEnd().length)) : at;
  const lineText = text.split('\n')[line - 1]?.replace(/\r$/, '');
  return lineText === undefined ? { file, line, column } : { file, line, column, lineText };
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}

/** JSON.parse keeps the last of two equal keys; YAML (a superset of JSON) finds them. */
async function parseJsonOnce(text: string): Promise<Parsed> {
  const parsed = parseJson(text);
  if (!('value' in parsed)) return parsed;
  const { parseDocument } = await import('yaml');
  const offsets = parseDocument(text, { prettyErrors: false })
    .errors.filter((e) => e.code === 'DUPLICATE_KEY')
    .map((e) => e.pos[0]);
  if (offsets.length === 0) return parsed;
  const at = Math.min(...offsets);
  const key = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(at))?.[0];
  return { message: key === undefined ? 'duplicate key' : `duplicate key ${key}`, at };
}

function parseJson(text: string): Parsed {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = (error as Error).message;
    const what = message.replace(/ in JSON at position \d+.*$/s, '').replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '');
    const at = jsonErrorOffset(text, message);
    // JSON has no comments: say so where one trips the parser, and where comments are allowed
    const comment = /^\s*(\/\/|\/\*)/.test(text.slice(at)) || /^\s*(\/\/|\/\*)/.test(text.slice(Math.max(0, at - 1)));
    return { message: comment ? `${what} (JSON allows no comments: write the config as ignite.config.yaml or .toml to keep them)` : what, at };
  }
}

/**
 * V8 gives a position for most JSON errors, but none for "Unexpected token 'x', … is not valid
 * JSON" and "Unexpected end": find the shortest prefix that fails for a reason other than its
 * end; its last character is the culprit.
 */
function jsonErrorOffset(text: string, message: string): number {
  const position = / at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return Number(position);
  if (message.startsWith('Unexpected end')) return text.length;
  let good = 0;
  let bad = text.length;
  while (bad - good > 1) {
    const mid = Math.floor((good + bad) / 2);
    if (failsBefore(text.slice(0, mid))) bad = mid;
    else good = mid;
  }
  return bad - 1;
}

/** True when the text fails to parse before its end: it holds the error, not just a cut. */
function failsBefore(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = (error as Error).message;
    const position = / at position (\d+)/.exec(message)?.[1];
    if (position !== undefined) return Number(position) < prefix.length;
    return !message.startsWith('Unexpected end');
  }
}

async function parseYaml(text: string): Promise<Parsed> {
  const { isScalar, parseDocument, visit } = await import('yaml');
  // merge keys (`<<: *defaults`), as docker compose files use them, though YAML 1.2 dropped them
  const doc = parseDocument(text, { prettyErrors: false, merge: true });
  const first = doc.errors[0];
  if (first !== undefined) return { message: first.message, at: first.pos[0] };
  // `umask: 022` is the decimal 22 in YAML 1.2; `0o22` is octal: only the source tells them apart
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.value !== 'umask' || !isScalar(pair.value) || typeof pair.value.value !== 'number') return;
      const [start, end] = pair.value.range ?? [0, 0];
      const source = text.slice(start, end);
      if (/^0\d+$/.test(source)) pair.value.value = new DecimalUmask(pair.value.value, source);
    },
  });
  try {
    return { value: doc.toJS() as unknown };
  } catch (error) {
    // an alias to an anchor that does not exist is found only here
    return { message: (error as Error).message };
  }
}

async function parseToml(text: string): Promise<Parsed> {
  const { parse, TomlError } = await import('smol-toml');
  try {
    return { value: parse(text) };
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const message = error.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? error.message;
    return { message, at: { line: error.line, column: error.column } };
  }
}
