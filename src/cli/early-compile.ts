/**
 * A TypeScript config whose compile cache is stale gets compiled by esbuild (~60–100 ms
 * cold, mostly its service starting). The entry starts that compile before it loads the
 * CLI's bundle, so both proceed at once; the config loader takes the result up.
 */
import { createRequire } from 'node:module';
import { compileEarly } from '../config/compile-cache.js';
import { isTypeScript, locateConfig } from '../config/locate.js';
import { commandOf } from './pid1.js';

const NO_CONFIG = new Set(['init', 'help']);

/** The `-c`/`--config` value in `args`, if any (options after `--` belong to someone else). */
export function configOption(args: readonly string[]): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') break;
    if (arg === '-c' || arg === '--config') value = args[++i];
    else if (arg.startsWith('--config=')) value = arg.slice('--config='.length);
    else if (/^-c./.test(arg)) value = arg.slice(2);
  }
  return value;
}

export function compileConfigEarly(args: readonly string[], cwd: string): void {
  const command = commandOf(args);
  if (command === undefined || NO_CONFIG.has(command) || args.some((arg) => arg === '-h' || arg === '--help')) return;
  const located = locateConfig(cwd, configOption(args));
  if (!located.ok || !isTypeScript(located.value)) return;
  try {
    compileEarly(located.value, createRequire(import.meta.url)('esbuild') as typeof import('esbuild'));
  } catch {
    // the loader compiles it again and says what is wrong
  }
}
