/** Small helpers for the engine-ready tests: free ports, timestamps tasks write, node scripts. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../supervisor/fixtures.js';

export { dep, eventually, harness, leftovers, logReady, stack, task } from '../supervisor/fixtures.js';

export { freePort } from '../../helpers/net.js';

/** The millisecond timestamp a task wrote (with `date +%s%3N` or Date.now()) into `dir/name`. */
export function stamp(dir: string, name: string): number {
  const text = readFileSync(join(dir, name), 'utf8').trim();
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} holds "${text}", not a timestamp`);
  return value;
}

/** Waits (bounded) until a task has written its timestamp to `dir/name`, then reads it. */
export async function stampSoon(dir: string, name: string, timeoutMs = 3000): Promise<number> {
  const written = (): boolean => existsSync(join(dir, name)) && /\d{10}/.test(readFileSync(join(dir, name), 'utf8'));
  await eventually(written, timeoutMs);
  return stamp(dir, name);
}

export function has(dir: string, name: string): boolean {
  return existsSync(join(dir, name));
}

/** Shell: write the current time in ms to `file` (GNU date). */
export const now = (file: string): string => `date +%s%3N > ${file}`;

/** argv for `node -e SCRIPT`. */
export const node = (script: string): string[] => [process.execPath, '-e', script];

/** A node server script: after `afterMs`, writes Date.now() to `stampFile` and listens (plain tcp or http 200). */
export function serverScript(kind: 'tcp' | 'http', port: number, afterMs: number, stampFile: string): string {
  const make =
    kind === 'http'
      ? "require('node:http').createServer((q, s) => s.end('ok'))"
      : "require('node:net').createServer((c) => c.end())";
  return `setTimeout(() => { require('node:fs').writeFileSync(${JSON.stringify(stampFile)}, String(Date.now())); ${make}.listen(${port}, '127.0.0.1'); }, ${afterMs});`;
}
