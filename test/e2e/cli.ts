import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The built CLI; IGNITE_E2E_CLI points elsewhere for a private build. */
export const CLI = process.env.IGNITE_E2E_CLI ?? join(REPO, 'dist/cli/main.js');
export const FIXTURES = join(REPO, 'test/fixtures/e2e');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Run this command line instead of `node <CLI> args` (e.g. the CLI under a wrapper). */
  argv?: [string, ...string[]];
}

/** Starts the built CLI with NO_COLOR and CI set, so output is plain and exact. */
export function startCli(args: string[], options: CliOptions = {}): { child: ChildProcess; done: Promise<CliResult>; stdout: () => string } {
  const [file, ...rest] = options.argv ?? [process.execPath, CLI, ...args];
  const child = spawn(file, rest, {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, NO_COLOR: '1', CI: 'true', FORCE_COLOR: undefined, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timeoutMs = options.timeoutMs ?? 20_000;
  const done = new Promise<CliResult>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done, stdout: () => stdout };
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Waits (bounded) until `predicate` holds on the output so far. */
export async function waitForOutput(read: () => string, predicate: (text: string) => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  while (!predicate(read())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for output; got:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 100);
  }
}

/** A scratch folder inside the repo (so `ignite-run` resolves by self-reference), removed by the caller. */
export function scratchDir(name: string): string {
  const base = join(REPO, 'tmp', 'e2e');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${name}-`));
}

/** A scratch folder holding a copy of a fixture's config (`plugin-servers/ignite.config.mjs`). */
export function scratchProject(name: string, fixture: string): string {
  const dir = scratchDir(name);
  cpSync(join(FIXTURES, fixture), join(dir, basename(fixture)));
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Normalises the parts of output that change between runs. */
export function normalize(text: string): string {
  return text.replaceAll(REPO, '<repo>/').replace(/pid \d+/g, 'pid N').replace(/\d+(\.\d+)?(ms|s)\b/g, 'T');
}
