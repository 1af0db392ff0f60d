/** Runs the built CLI as a user would: `node dist/cli/main.js …` with CI=true NO_COLOR=1. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { TAG_VAR } from './proc.js';
import { waitFor } from './wait.js';

/** The package root whose dist/ is tested (override with IGNITE_FAULT_ROOT to test a snapshot). */
export const ROOT = process.env.IGNITE_FAULT_ROOT ?? fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');
export const CLI = `${ROOT}/dist/cli/main.js`;
const PTY_RUN = fileURLToPath(new URL('./pty-run.py', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
}

export interface CliOptions {
  cwd: string;
  tag: string;
  env?: Record<string, string>;
  /** Run inside a real pseudo-terminal (python3 pty); stdin then takes INT/HUP commands. */
  pty?: boolean;
  /** Wrap in `sh -c '<prefix>; exec node …'` (e.g. `ulimit -n 64`). */
  shellPrefix?: string;
}

export interface CliRun {
  child: ChildProcess;
  /** The pid of ignite itself (for pty runs, of the relay; use `ignitePid()`). */
  pid: number;
  stdout: () => string;
  stderr: () => string;
  output: () => string;
  waitOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code (or 128+signal); rejects after timeoutMs. */
  waitExit(timeoutMs?: number): Promise<number>;
  exitCode: () => number | undefined;
  send(line: string): void;
}

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function startCli(args: string[], options: CliOptions): CliRun {
  const env: Record<string, string | undefined> = { ...process.env, CI: 'true', NO_COLOR: '1', [TAG_VAR]: options.tag, ...options.env };
  let argv = [process.execPath, CLI, ...args];
  if (options.shellPrefix !== undefined) argv = ['/bin/sh', '-c', `${options.shellPrefix}; exec ${argv.map(quote).join(' ')}`];
  if (options.pty === true) {
    delete env.CI;
    argv = ['/usr/bin/python3', PTY_RUN, ...argv];
  }
  const [file, ...rest] = argv as [string, ...string[]];
  const child = spawn(file, rest, { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let all = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    all += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    all += chunk;
  });
  let code: number | undefined;
  const exited = new Promise<number>((resolve) => {
    child.once('close', (c, sig) => {
      code = c ?? 128 + signalNumber(sig);
      resolve(code);
    });
  });
  child.stdin.on('error', () => undefined);
  return {
    child,
    pid: child.pid ?? -1,
    stdout: () => out,
    stderr: () => err,
    output: () => all,
    exitCode: () => code,
    send: (line) => child.stdin.write(`${line}\n`),
    waitOutput: (pattern, timeoutMs = 10_000) =>
      waitFor(() => pattern.exec(all) ?? undefined, `output matching ${pattern} (got:\n${tail(all)})`, timeoutMs),
    waitExit: async (timeoutMs = 15_000) => {
      const timer = new Promise<never>((_, reject) => {
        const t = setTimeout(() => reject(new Error(`ignite ${args.join(' ')} did not exit within ${timeoutMs} ms; output:\n${tail(all)}`)), timeoutMs);
        void exited.finally(() => clearTimeout(t));
      });
      return Promise.race([exited, timer]);
    },
  };
}

/** Runs a command to completion; rejects if it outlives timeoutMs (and kills it). */
export async function runCli(args: string[], options: CliOptions, timeoutMs = 20_000): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = startCli(args, options);
  run.child.stdin?.end();
  try {
    const code = await run.waitExit(timeoutMs);
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  } catch (error) {
    run.child.kill('SIGKILL');
    throw error;
  }
}

function signalNumber(sig: NodeJS.Signals | null): number {
  return sig === null ? 0 : constants.signals[sig];
}

function tail(text: string): string {
  return text.length > 4000 ? `…${text.slice(-4000)}` : text;
}
