/** Reads dotenv files (`envFile`) with node's own parser; each file is read once per validation. */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { err, ok, type Result } from '../core/result.js';

export type EnvFileReader = (file: string) => Result<Record<string, string>, string>;

export function envFileReader(): EnvFileReader {
  const cache = new Map<string, Result<Record<string, string>, string>>();
  return (file) => {
    let result = cache.get(file);
    if (result === undefined) {
      result = readEnvFile(file);
      cache.set(file, result);
    }
    return result;
  };
}

function readEnvFile(file: string): Result<Record<string, string>, string> {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return err(code === 'ENOENT' ? `env file not found: ${file}` : `cannot read env file ${file}: ${code ?? String(error)}`);
  }
  const parsed = parseEnv(content);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) if (value !== undefined) env[key] = value;
  return ok(env);
}
