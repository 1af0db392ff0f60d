/**
 * Reads dotenv files (`envFile`) with node's own parser; each file is read once per validation.
 * Lines that are not `NAME=value` are left out and reported: node's parser would join
 * such a line to the next into one garbled name.
 */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { err, ok, type Result } from '../core/result.js';

export interface EnvFile {
  env: Record<string, string>;
  /** 1-based line numbers and text of the lines left out. */
  skipped: { line: number; text: string }[];
}

export type EnvFileReader = (file: string) => Result<EnvFile, string>;

export function envFileReader(): EnvFileReader {
  const cache = new Map<string, Result<EnvFile, string>>();
  return (file) => {
    let result = cache.get(file);
    if (result === undefined) {
      result = readEnvFile(file);
      cache.set(file, result);
    }
    return result;
  };
}

function readEnvFile(file: string): Result<EnvFile, string> {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return err(code === 'ENOENT' ? `env file not found: ${file}` : `cannot read env file ${file}: ${code ?? String(error)}`);
  }
  return ok(parseEnvFile(content));
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `NAME=value`, maybe after `export `; group 1 the name, group 2 the value. */
const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/;
const QUOTES = ['"', "'", '`'];

function parseEnvFile(content: string): EnvFile {
  const lines = content.split(/\r?\n/);
  const kept: string[] = [];
  const skipped: EnvFile['skipped'] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    const match = ASSIGNMENT.exec(text);
    if (match === null) {
      if (text.trim() !== '' && !text.trim().startsWith('#')) skipped.push({ line: i + 1, text: text.trim() });
      kept.push('');
      continue;
    }
    const [, name = '', value = ''] = match;
    const end = quoteEnd(lines, i, value.trimStart());
    kept.push(`${name}=${value}`, ...lines.slice(i + 1, end + 1));
    i = end;
  }
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseEnv(kept.join('\n')))) if (NAME.test(key) && value !== undefined) env[key] = value;
  return { env, skipped };
}

/** The last line of a value quoted over several lines, or `start` when the value fits on its line. */
function quoteEnd(lines: readonly string[], start: number, value: string): number {
  const quote = value[0];
  if (quote === undefined || !QUOTES.includes(quote) || value.slice(1).includes(quote)) return start;
  for (let j = start + 1; j < lines.length; j++) if (lines[j]?.includes(quote) === true) return j;
  return start;
}
