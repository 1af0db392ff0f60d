/**
 * Stopping a task's process group: its stop signal (then SIGCONT, so a stopped
 * group can act on it) or its stop command, then SIGKILL to the whole group after
 * the stop timeout. "Stopped" means the leader has exited AND nothing is left in
 * the group.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Command, StopSpec } from '../../core/model.js';
import type { ChildExit } from './spawn.js';
import { sampleGroup } from './stats.js';

/** Sends `signal` to every process of the group. False when the group is gone (ESRCH) or not ours (EPERM). */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

const HAS_PROC = existsSync('/proc/self/stat');

/**
 * True while the group has a live member. A group of zombies only is gone: where
 * PID 1 reaps orphans slowly (some container inits), `kill(-pgid, 0)` keeps
 * succeeding for seconds after the last process died, so /proc has the last word.
 */
export function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  return !HAS_PROC || sampleGroup(pgid) !== undefined;
}

/**
 * Resolves true once the leader has exited and the group is empty, false at the
 * deadline. Polls `groupAlive` starting at 5 ms and backing off to 100 ms.
 */
export async function waitGroupGone(pgid: number, exited: Promise<ChildExit>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  if (!(await settlesWithin(exited, timeoutMs))) return false;
  let wait = 5;
  while (groupAlive(pgid)) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await delay(Math.min(wait, left));
    wait = Math.min(wait * 2, 100);
  }
  return true;
}

export interface StopOutcome {
  /** True when the group had to be SIGKILLed at the stop timeout. */
  killed: boolean;
  /** False only if something survived even SIGKILL (e.g. unreaped zombies). */
  gone: boolean;
}

export interface StopGroupOptions {
  spec: StopSpec;
  exited: Promise<ChildExit>;
  /** Runs `spec.command` when there is one; given the time it may take. */
  runCommand?: (command: Command, timeoutMs: number) => Promise<void>;
}

/** How long to wait for a group to vanish after SIGKILL before giving up on it. */
const AFTER_KILL_MS = 3000;

export async function stopGroup(pgid: number, options: StopGroupOptions): Promise<StopOutcome> {
  const { spec, exited } = options;
  const started = Date.now();
  if (spec.command !== undefined && options.runCommand !== undefined) {
    await options.runCommand(spec.command, spec.timeoutMs);
  } else {
    signalGroup(pgid, spec.signal);
    if (spec.signal !== 'SIGKILL') signalGroup(pgid, 'SIGCONT');
  }
  const left = Math.max(0, spec.timeoutMs - (Date.now() - started));
  if (await waitGroupGone(pgid, exited, left)) return { killed: false, gone: true };
  return { killed: true, gone: await killGroup(pgid, exited) };
}

/** SIGKILL to the group, then wait (bounded) until it is gone. */
export async function killGroup(pgid: number, exited: Promise<ChildExit>): Promise<boolean> {
  // no process at all in the group (the common case once its leader has exited): gone once the leader is reaped
  if (!signalGroup(pgid, 'SIGKILL')) return settlesWithin(exited, AFTER_KILL_MS);
  return waitGroupGone(pgid, exited, AFTER_KILL_MS);
}

export interface StopCommandOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Takes the command's stdout and stderr (the task's log and output); without it they are discarded. */
  output?: (streams: { stdout: Readable; stderr: Readable }) => void;
}

/**
 * Runs a task's stop command in its own group with the task's cwd and env; kills
 * it if it outlives `timeoutMs`, or at once when `signal` aborts (a forced stop).
 * Never rejects.
 */
export function runStopCommand(command: Command, options: StopCommandOptions): Promise<void> {
  const [file, args] = command.kind === 'shell' ? ['/bin/sh', ['-c', command.script]] : [command.file, command.args];
  return new Promise((resolve) => {
    const stdio: StdioOptions = options.output === undefined ? 'ignore' : ['ignore', 'pipe', 'pipe'];
    const child: ChildProcess = spawn(file, args, { cwd: options.cwd, env: options.env, detached: true, stdio });
    if (options.output !== undefined && child.stdout !== null && child.stderr !== null) options.output({ stdout: child.stdout, stderr: child.stderr });
    const kill = (): void => {
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    };
    const timer = setTimeout(kill, options.timeoutMs);
    options.signal?.addEventListener('abort', kill, { once: true });
    if (options.signal?.aborted === true) kill();
    const finish = (): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
      // whatever the command left in its group goes with it
      kill();
      resolve();
    };
    child.once('error', finish);
    child.once('exit', finish);
  });
}

/** True when `promise` settles within `ms`; clears its timer either way. */
export function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const done = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(done, done);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
