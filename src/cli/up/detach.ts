import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { makeDir } from '../../util/make-dir.js';
import { join } from 'node:path';
import type { StackSpec } from '../../core/model.js';
import { err, ok, type Result } from '../../core/result.js';
import type { TaskStatus } from '../../core/status.js';
import type { CliContext } from '../context.js';
import { EXIT, say } from '../context.js';
import { errorMessage } from '../../util/error-message.js';
import { refuseIfRunning } from './already-running.js';
import { alreadyRunningLine, commandFor } from '../other-stack.js';
import { selectedTasks } from './selection.js';
import { followStartup } from './follow.js';
import { silentLogReason, tailLog, waitForSupervisor, type Connected } from './wait-daemon.js';

/**
 * `up -d`: starts this CLI again as a detached `__daemon` writing to
 * `<stateDir>/ignite.log`, connects to its control socket, follows startup until
 * it settles, prints a summary and returns 0, or 1 if a task failed (the stack
 * stays up for `ignite ps` to explain).
 */
export async function detach(ctx: CliContext, stack: StackSpec, patterns: string[]): Promise<number> {
  const control = await import('../../control/index.js');
  const render = await import('../../render/index.js');
  // the commands it advises, with `-c` when a plain one would not find this config
  const found = (await import('../../config/load.js')).findConfigFile(ctx.cwd);
  const command = (name: string): string => commandFor(name, ctx.cwd, stack.file, found);
  const selection = await selectedTasks(stack, patterns);
  if (!selection.ok) {
    say(ctx, render.formatFailure(selection.error));
    return EXIT.invalid;
  }
  const running = await refuseIfRunning(ctx, stack);
  if (running !== undefined) return running;
  // here, not in the daemon, so that the user reads it (the daemon's output goes to its log)
  const cleaned = control.describeCleanup(await control.cleanupStale(stack.stateDir));
  if (cleaned !== undefined) say(ctx, cleaned);
  const spawned = await spawnDaemon(ctx, stack, patterns);
  if (!spawned.ok) {
    say(ctx, `cannot start the background supervisor: ${spawned.error}`);
    return EXIT.failed;
  }
  const daemon = spawned.value;
  if (daemon.pid !== undefined) await control.markStarting(stack.stateDir, daemon.pid);
  const pid = String(daemon.pid ?? '?');
  const stopWaiting = (): void => {
    say(ctx, `stopped waiting; the stack goes on starting in the background (pid ${pid}): \`${command('ps')}\` shows it, \`${command('down')}\` stops it`);
    process.exit(EXIT.interrupted);
  };
  process.once('SIGINT', stopWaiting);
  try {
    const connected = await waitForSupervisor(control, stack.stateDir, daemon, 30_000);
    // its socket answers (or it is gone): nothing left for a `down` to wait for; also in case
    // the supervisor cleared the record before it was written
    await control.clearStarting(stack.stateDir);
    if (!connected.ok && 'other' in connected) {
      say(ctx, alreadyRunningLine(connected.other.pid, stack.stateDir, connected.other.configFile, stack.file));
      return EXIT.invalid;
    }
    if (!connected.ok) return await reportNoStart(ctx, connected, daemon);
    const inSelection = (row: TaskStatus): boolean => selection.value.has(row.task);
    const oneshots = new Set(stack.tasks.filter((task) => task.oneshot).map((task) => task.name));
    const isOneshot = (row: TaskStatus): boolean => oneshots.has(row.task);
    const minUptime = new Map(stack.tasks.map((task) => [task.name, task.restart.minUptimeMs]));
    const steadyAfterMs = (row: TaskStatus): number => minUptime.get(row.task) ?? 0;
    const startup = await followStartup(ctx, connected.client, render, { inSelection, isOneshot, exited: daemon.exited, steadyAfterMs });
    if (startup.silent === true) {
      say(ctx, `the background supervisor (pid ${pid}) stopped answering before its startup finished; log: ${daemon.logFile}`);
      return EXIT.failed;
    }
    // gone: its exit has been seen, so the await does not wait
    const exitCode = startup.gone === true ? await daemon.exited : undefined;
    if (exitCode !== undefined && exitCode !== 0) {
      // it failed on its own (a plugin's control server did not start): its log says why
      const message = `the background supervisor exited (code ${exitCode}) before its startup finished`;
      return await reportNoStart(ctx, { ok: false, message, code: exitCode, exitCode }, daemon);
    }
    // the last task's state can settle startup just before the down it caused is announced: ask
    const info = startup.stopping ? undefined : await connected.client.info();
    const stopping = startup.stopping || info?.ok !== true || info.value.stopping;
    ctx.stdout.write(render.formatStatusTable(startup.rows, Date.now(), render.makeColors(ctx.color)));
    // a task blocked because a dependency was stopped on request did not fail
    const failed = startup.rows.some((row) => row.state === 'failed' || (row.state === 'blocked' && row.reason !== 'dependency-stopped'));
    if (stopping) {
      say(ctx, `the stack ${failed ? 'shut down after a failure' : 'was stopped'} before its startup finished; log: ${daemon.logFile}`);
      return failed ? EXIT.failed : EXIT.interrupted;
    }
    say(ctx, `stack running in the background (pid ${pid}); log: ${daemon.logFile}; stop it with \`${command('down')}\``);
    return failed ? EXIT.failed : EXIT.ok;
  } finally {
    process.off('SIGINT', stopWaiting);
  }
}

interface Daemon {
  pid: number | undefined;
  exited: Promise<number>;
  logFile: string;
}

/**
 * The background supervisor: this CLI again, in its own session, its output appended to
 * the log; a log it cannot write (a state dir of another user) is the reason, as text.
 */
async function spawnDaemon(ctx: CliContext, stack: StackSpec, patterns: string[]): Promise<Result<Daemon, string>> {
  const logFile = join(stack.stateDir, 'ignite.log');
  let fd: number;
  try {
    await makeDir(stack.stateDir);
    fd = openSync(logFile, 'a');
  } catch (error) {
    return err(`cannot write its log ${logFile}: ${errorMessage(error)}`);
  }
  const args = [ctx.script, ...(ctx.debug() ? ['--debug'] : []), '__daemon', '-c', stack.file, '--', ...patterns];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', fd, fd], cwd: ctx.cwd, env: { ...ctx.env } });
  closeSync(fd);
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? EXIT.failed)));
  child.once('error', () => undefined);
  child.unref();
  return ok({ pid: child.pid, exited, logFile });
}

/** The supervisor never answered: stopped by a down that reached it first (exit 0), or failed (its own log lines). */
async function reportNoStart(ctx: CliContext, connected: Extract<Connected, { message: string }>, daemon: Daemon): Promise<number> {
  if (connected.exitCode === 0) {
    say(ctx, `the stack was stopped before its startup finished; log: ${daemon.logFile}`);
    return EXIT.interrupted;
  }
  const tail = await tailLog(daemon.logFile, 20, daemon.pid);
  if (tail === '') say(ctx, `${connected.message}; ${await silentLogReason(daemon.logFile)}`);
  else {
    say(ctx, `${connected.message}:`);
    ctx.stderr.write(tail);
  }
  return connected.code ?? EXIT.failed;
}
