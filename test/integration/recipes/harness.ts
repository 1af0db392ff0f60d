/**
 * Runs a recipe's tasks through the real Supervisor in a throwaway folder and
 * records every event, so a test can wait on one (bounded) instead of sleeping.
 */
import { execFile } from 'node:child_process';
import { afterEach } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../../../src/config/index.js';
import { Supervisor } from '../../../src/supervisor/supervisor.js';
import type { ConfigInput, SupervisorEvent } from '../../../src/index.js';
import { findBinary } from '../../../recipes/find-binary.js';
import { isAlive } from '../../helpers/procs.js';

/** True when the binary is on PATH or in /usr/sbin (where Debian puts daemons). */
export function has(binary: string): boolean {
  return findBinary(binary) !== binary;
}

export { freePort } from '../../helpers/net.js';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `ignite-recipe-${prefix}-`));
}

export interface RunningStack {
  supervisor: Supervisor;
  events: SupervisorEvent[];
  /** Resolves with the first recorded event that matches, or rejects after `ms`. */
  waitFor(match: (event: SupervisorEvent) => boolean, ms?: number): Promise<SupervisorEvent>;
  /** Every pid the supervisor spawned (process-group leaders). */
  pids(): number[];
  /** Downs the stack (once) and returns the processes still alive in the spawned groups. */
  down(): Promise<number[]>;
}

export function startStack(input: ConfigInput, dir: string): RunningStack {
  const validated = validateConfig({ stateDir: join(dir, '.ignite'), ...input }, join(dir, 'ignite.config.ts'));
  if (!validated.ok) throw new Error(validated.error.map((d) => `${d.path}: ${d.message}`).join('\n'));
  const supervisor = new Supervisor(validated.value);
  const events: SupervisorEvent[] = [];
  const waiters = new Set<() => void>();
  supervisor.on('event', (event: SupervisorEvent) => {
    events.push(event);
    for (const wake of waiters) wake();
  });
  const waitFor = (match: (event: SupervisorEvent) => boolean, ms = 15_000): Promise<SupervisorEvent> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = events.find(match);
        if (found === undefined) return;
        settle();
        resolve(found);
      };
      const timer = setTimeout(() => {
        settle();
        reject(new Error(`no matching event within ${ms} ms; last events:\n${tail(events)}`));
      }, ms);
      const settle = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  const pids = (): number[] => events.flatMap((event) => (event.type === 'task-spawn' ? [event.pid] : []));
  let downed: Promise<number[]> | undefined;
  const down = (): Promise<number[]> =>
    (downed ??= supervisor.down().then(() => pids().flatMap((pid) => [pid, ...groupMembers(pid)]).filter(isAlive)));
  void supervisor.up();
  return { supervisor, events, waitFor, pids, down };
}

/** Last few events, for a failure message that shows what happened. */
export function tail(events: readonly SupervisorEvent[], count = 15): string {
  return events.slice(-count).map((event) => JSON.stringify(event)).join('\n');
}

export const readyEvent = (task: string) => (event: SupervisorEvent): boolean =>
  event.type === 'task-ready' && event.task === task;

export const stateEvent = (task: string, state: string) => (event: SupervisorEvent): boolean =>
  event.type === 'task-state' && event.task === task && event.state === state;

/** Live pids whose process group is `pgid`. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(pid);
    } catch {
      // gone while we looked
    }
  }
  return members;
}

/** Last resort in afterEach: SIGKILL whatever is left in the spawned groups. */
export function killLeftovers(stack: RunningStack | undefined): void {
  for (const pid of stack?.pids() ?? []) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export function removeDir(dir: string | undefined): void {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}

/** Runs a client command with a time limit; resolves with its stdout. */
export function run(file: string, args: string[], ms = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: ms }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
    });
  });
}

/**
 * One stack per test in its own temp folder: `folder()` makes it, `start()` starts the
 * stack there; after each test the stack is downed, leftovers killed, the folder removed.
 */
export function useStackPerTest(): { folder(prefix: string): string; start(input: ConfigInput): RunningStack } {
  let stack: RunningStack | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await stack?.down();
    killLeftovers(stack);
    removeDir(dir);
    stack = dir = undefined;
  });
  return {
    folder: (prefix) => (dir = tempDir(prefix)),
    start: (input) => {
      if (dir === undefined) throw new Error('call folder() before start()');
      stack = startStack(input, dir);
      return stack;
    },
  };
}
