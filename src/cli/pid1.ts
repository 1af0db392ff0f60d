import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { constants as os } from 'node:os';

/** Set in the environment of the ignite started under tini, so it never wraps itself twice. */
export const UNDER_INIT_ENV = 'IGNITE_UNDER_INIT';

/** Commands that start processes: as PID 1 they would collect their orphans as zombies. */
const SPAWNING = new Set(['up', 'run', '__daemon']);

export const PID1_REFUSAL =
  'ignite: running as PID 1, ignite cannot reap orphaned processes; install tini (apt-get install tini) and ignite will use it, or run the container with an init (docker run --init)';

/** Forwarded to tini (which forwards them to ignite's process group). */
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];

export type Pid1Plan = { kind: 'run' } | { kind: 'wrap'; tini: string; args: string[] } | { kind: 'refuse' };

/** The first argument that is not an option: the command (global options take no value). */
export function commandOf(args: readonly string[]): string | undefined {
  return args.find((arg) => !arg.startsWith('-'));
}

/** `name` on `PATH`, executable, or undefined. */
export function findOnPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * What to do before anything else. PID 1 of a PID namespace inherits every
 * orphan, and Node cannot `waitpid(-1)`: they would pile up as zombies and a
 * stop would wait for them. So a spawning command as PID 1 runs itself again
 * under tini (a real init that reaps), or refuses when there is none.
 */
export function planPid1(pid: number, argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Pid1Plan {
  if (pid !== 1 || env[UNDER_INIT_ENV] === '1') return { kind: 'run' };
  const command = commandOf(argv.slice(2));
  if (command === undefined || !SPAWNING.has(command)) return { kind: 'run' };
  const tini = findOnPath('tini', env.PATH);
  if (tini === undefined) return { kind: 'refuse' };
  // -s: subreaper, so orphans of ignite's tasks re-parent to tini, not to us;
  // -g: signals go to ignite's whole process group (just ignite: tasks have their own).
  return { kind: 'wrap', tini, args: ['-s', '-g', '--', process.execPath, ...process.execArgv, ...argv.slice(1)] };
}

/**
 * Runs `tini … ignite …` and mirrors its end: the exit code passes through, a
 * signal death becomes 128+n. Signals to this PID 1 are forwarded (PID 1 gets
 * only signals it handles, so each one has a handler).
 */
export function runUnderTini(plan: { tini: string; args: string[] }): void {
  const child = spawn(plan.tini, plan.args, { stdio: 'inherit', env: { ...process.env, [UNDER_INIT_ENV]: '1' } });
  for (const signal of FORWARDED) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  child.once('error', (error) => {
    process.stderr.write(`ignite: cannot start ${plan.tini}: ${error.message}\n${PID1_REFUSAL}\n`);
    process.exit(2);
  });
  child.once('exit', (code, signal) => {
    process.exit(code ?? 128 + (signal === null ? 0 : os.signals[signal]));
  });
}
