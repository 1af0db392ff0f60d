/**
 * `ready.command(cmd)`: ready when the command exits 0. Each run is its own
 * process group, killed whole at its timeout, on abort, and after it exits (a
 * probe must not leave a background child behind).
 */
import { spawn } from 'node:child_process';
import type { ReadySpec } from '../core/ready-spec.js';
import { toMs } from '../util/duration.js';
import { fatal, notYet, poll, PROBE_BACKOFF, READY, settleOnce, type Outcome, type ProbeRun } from './probe.js';

type CommandSpec = Extract<ReadySpec, { kind: 'command' }>;

const DEFAULT_TIMEOUT_MS = 5000;

function argv(command: string | string[]): [string, string[]] {
  // A string is a shell script the user wrote; an array is exec'd as is.
  if (typeof command === 'string') return ['/bin/sh', ['-c', command]];
  return [command[0] ?? '', command.slice(1)];
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

/** One run of the probe command, bounded by the spec's timeout (or `timeoutMs`, whichever is shorter). */
export function checkCommand(spec: CommandSpec, run: ProbeRun, signal: AbortSignal, timeoutMs = Infinity): Promise<Outcome> {
  const limit = Math.min(timeoutMs, spec.timeout === undefined ? DEFAULT_TIMEOUT_MS : toMs(spec.timeout));
  const [file, args] = argv(spec.command);
  const label = Array.isArray(spec.command) ? spec.command.join(' ') : spec.command;
  return settleOnce(signal, (settle) => {
    const child = spawn(file, args, { cwd: run.cwd, env: run.env, detached: true, stdio: 'ignore' });
    const timer = setTimeout(() => settle(notYet(`${label} did not finish within ${limit}ms and was killed`)), limit);
    child.on('error', (error: NodeJS.ErrnoException) => {
      // A binary that cannot be run will not become runnable by retrying.
      if (error.code === 'ENOENT') settle(fatal(`cannot run ${file}: command not found (cwd ${run.cwd})`));
      else settle(fatal(`cannot run ${file}: ${error.message}`));
    });
    child.on('exit', (code, sig) => {
      if (code === 0) settle(READY);
      else settle(notYet(`${label} exited with ${sig ?? `code ${code}`}`));
    });
    return () => {
      clearTimeout(timer);
      killGroup(child.pid);
    };
  });
}

export function waitCommand(spec: CommandSpec, run: ProbeRun, signal: AbortSignal): Promise<Outcome> {
  return poll((attemptSignal) => checkCommand(spec, run, attemptSignal), signal, PROBE_BACKOFF);
}
