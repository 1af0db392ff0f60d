/**
 * The fault-injection harness. Every test gets a unique IGNITE_FAULT_TAG carried
 * in the environment of everything it starts (the CLI's env, the config's
 * top-level env); after the test, /proc must show nothing tagged alive, however
 * deep it went. Anything left is reported (failing the test) and SIGKILLed.
 *
 * Tests are written Setup → Fault → Expected → Check.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import type { SupervisorOptions } from '../../src/supervisor/supervisor.js';
import { assertBuilt, ROOT, runCli, startCli, type CliOptions, type CliRun } from './lib/cli.js';
import { describe as describeProcs, liveTagged, signal } from './lib/proc.js';
import { supervise, type Supervised } from './lib/supervised.js';
import { waitFor } from './lib/wait.js';

export * from './lib/proc.js';
export * from './lib/wait.js';
export { CLI, ROOT, type CliRun } from './lib/cli.js';
export type { Supervised } from './lib/supervised.js';

export interface Fault {
  tag: string;
  dir: string;
  /** Writes `ignite.config.mjs` = `defineConfig({ env: { IGNITE_FAULT_TAG }, <body> })`; returns its path. */
  writeConfig(body: string, options?: { dir?: string; imports?: string }): string;
  /** Starts the CLI in `dir` (tracked: SIGKILLed after the test if still running). */
  cli(args: string[], options?: Partial<CliOptions>): CliRun;
  /** Runs the CLI to completion. */
  run(args: string[], options?: Partial<CliOptions>, timeoutMs?: number): Promise<{ code: number; stdout: string; stderr: string }>;
  /** A library Supervisor over a config object (validated), tagged; force-downed after the test. */
  supervise(input: Record<string, unknown>, options?: SupervisorOptions): Supervised;
  /** Env for processes the test starts itself, so the leak check sees them. */
  env: Record<string, string | undefined>;
}

/** How long the leak check waits for tagged processes to finish exiting. */
const LEAK_GRACE_MS = 2000;

/** Registers the per-test tag, temp dir and leak check; call once at the top of a test file. */
export function useFaults(): () => Fault {
  let current: Fault | undefined;
  const runs: CliRun[] = [];
  const supervised: Supervised[] = [];
  let dir = '';

  beforeAll(() => assertBuilt());

  beforeEach(() => {
    const tag = randomUUID();
    dir = mkdtempSync(join(tmpdir(), 'ignite-fault-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'ignite-run'));
    const base = (options?: Partial<CliOptions>): CliOptions => ({ cwd: dir, tag, ...options });
    current = {
      tag,
      dir,
      env: { ...process.env, IGNITE_FAULT_TAG: tag },
      writeConfig: (body, options = {}) => writeConfig(options.dir ?? dir, tag, body, options.imports),
      cli: (args, options) => {
        const run = startCli(args, base(options));
        runs.push(run);
        return run;
      },
      run: (args, options, timeoutMs) => runCli(args, base(options), timeoutMs),
      supervise: (input, options) => {
        const s = supervise(input, dir, tag, { guardian: true, ...options });
        supervised.push(s);
        return s;
      },
    };
  });

  afterEach(async () => {
    const tag = current?.tag;
    current = undefined;
    if (tag === undefined) return;
    let leftovers = liveTagged(tag);
    if (leftovers.length > 0) {
      await waitFor(() => liveTagged(tag).length === 0, 'tagged processes to exit', LEAK_GRACE_MS).catch(() => undefined);
      leftovers = liveTagged(tag);
    }
    for (const s of supervised.splice(0)) await withTimeout(s.sup.down({ force: true }), 5000);
    for (const run of runs.splice(0)) if (run.exitCode() === undefined) run.child.kill('SIGKILL');
    for (const proc of liveTagged(tag)) signal(proc.pid, 'SIGKILL');
    if (process.env.IGNITE_FAULT_KEEP === undefined) rmSync(dir, { recursive: true, force: true });
    if (leftovers.length > 0) {
      throw new Error(`the test left ${leftovers.length} tagged process(es) alive (now SIGKILLed):\n${describeProcs(leftovers)}`);
    }
  });

  return () => {
    if (current === undefined) throw new Error('useFaults(): no test is running');
    return current;
  };
}

function writeConfig(dir: string, tag: string, body: string, imports = "import { defineConfig, ready } from 'ignite-run';"): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'ignite.config.mjs');
  writeFileSync(file, `${imports}\nexport default defineConfig({\n  env: { IGNITE_FAULT_TAG: ${JSON.stringify(tag)} },\n  ${body}\n});\n`);
  return file;
}

async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** A node one-liner as an argv command (for configs written as JS text). */
export function nodeCmd(script: string): string {
  return JSON.stringify([process.execPath, '-e', script]);
}
