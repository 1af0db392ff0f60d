import type { Writable } from 'node:stream';
import type { ControlApi, StackSpec } from '../../core/model.js';
import type { Supervisor } from '../../supervisor/supervisor.js';
import type { RendererKind } from '../../render/choose.js';
import type { CliContext } from '../context.js';
import { EXIT, say } from '../context.js';
import { handleSignals } from './signals.js';
import { oneshotsOf, selectedTasks } from './selection.js';
import { createStateWriter } from './state-writer.js';
import { tuneGcForIdle } from './idle-gc.js';
import { logFilesOf } from '../log-files.js';
import { reloaderFor } from './reload-config.js';
import { alreadyRunningLine } from '../other-stack.js';

export interface ForegroundOptions {
  stack: StackSpec;
  patterns: string[];
  renderer: RendererKind;
  out: Writable;
  color: boolean;
  /** The daemon: run until a down, even once every task has finished (`ps` can still explain them). */
  untilDown?: boolean;
  /** Render the tasks' output lines too (default); the daemon's log leaves them to the task log files. */
  taskOutput?: boolean;
}

/**
 * The foreground `up` (and the daemon's body): clean up after a dead ignite, serve
 * the control socket, render events, start, then wait until nothing runs (the
 * daemon: until a down) or a signal stops the stack. Returns the exit code.
 */
export async function runForeground(ctx: CliContext, options: ForegroundOptions): Promise<number> {
  const { stack, patterns } = options;
  const [control, { Supervisor }, render, { createRenderer }] = await Promise.all([
    import('../../control/index.js'),
    import('../../supervisor/supervisor.js'),
    import('../../render/index.js'),
    import('../../render/create.js'),
  ]);
  const selection = await selectedTasks(stack, patterns);
  if (!selection.ok) {
    say(ctx, render.formatFailure(selection.error));
    return EXIT.invalid;
  }
  const cleaned = control.describeCleanup(await control.cleanupStale(stack.stateDir));
  if (cleaned !== undefined) say(ctx, cleaned);
  const sup = new Supervisor(stack);
  const api: ControlApi = { ...controlApiOf(sup), reload: reloaderFor(sup, stack.file) };
  const server = await control.startControlServer({
    stateDir: stack.stateDir,
    api,
    http: stack.control.http,
    logFiles: (task) => logFilesOf(sup.stack, task),
    holdLogs: (task) => sup.holdLogs(task),
    info: { pid: process.pid, configFile: stack.file, startedAt: Date.now(), version: ctx.version },
    stopping: () => sup.stopping,
  });
  if (!server.ok) {
    const failure = server.error;
    if (failure.reason === 'already-running') {
      say(ctx, alreadyRunningLine(failure.pid, stack.stateDir, failure.configFile, stack.file));
      return EXIT.invalid;
    }
    say(ctx, `cannot start the control server: ${failure.message}`);
    return EXIT.failed;
  }
  // a `down` from now on reaches the socket
  if (options.untilDown === true) await control.clearStarting(stack.stateDir);
  const plugins = await control.startPluginServers(stack.plugins, api, stack.shutdownTimeoutMs, (message) => say(ctx, message));
  if (!plugins.ok) {
    say(ctx, plugins.error);
    await server.value.close();
    return EXIT.failed;
  }
  const names = sup.status().filter((row) => selection.value.has(row.task)).map((row) => row.name);
  const renderer = await createRenderer(options.renderer, { out: options.out, color: options.color, names, oneshots: oneshotsOf(stack, names) });
  const stateWriter = createStateWriter(control, {
    stateDir: stack.stateDir,
    configFile: stack.file,
    version: ctx.version,
    warn: (text) => say(ctx, text),
  });
  const showOutput = options.taskOutput !== false;
  const onEvent = (event: Parameters<typeof renderer.event>[0]): void => {
    if (showOutput || event.type !== 'task-output') renderer.event(event);
    stateWriter.onEvent(event);
  };
  sup.on('event', onEvent);

  let settled = false;
  let interrupted: 'before' | 'after' | undefined;
  let stopping: Promise<void> | undefined;
  const forced = new AbortController();
  const removeSignals = handleSignals({
    stop(force, signal) {
      if (signal === 'EPIPE') say(ctx, 'the reader of the output went away; stopping the stack');
      if (force) forced.abort();
      interrupted ??= settled ? 'after' : 'before';
      const down = sup.down(force ? { force: true } : {});
      stopping = stopping === undefined ? down : Promise.all([stopping, down]).then(() => undefined);
    },
    forward: (signal) => sup.signalAll(signal),
  }, { detached: options.untilDown === true });

  let code: number;
  try {
    const up = await sup.up(patterns.length === 0 ? undefined : patterns);
    settled = true;
    tuneGcForIdle();
    await renderer.settled();
    if (!up.ok) {
      renderer.note(render.formatFailure(up.error));
      await sup.down();
      code = up.error.reason === 'no-match' || up.error.reason === 'unknown-task' ? EXIT.invalid : EXIT.failed;
    } else {
      code = await (options.untilDown === true ? sup.downed() : sup.finished());
    }
    if (stopping !== undefined) await stopping;
    if (interrupted !== undefined) code = interrupted === 'before' ? EXIT.interrupted : EXIT.ok;
  } finally {
    sup.off('event', onEvent);
    await renderer.close();
    for (const problem of await plugins.value.close(forced.signal)) say(ctx, problem);
    await server.value.close();
    await stateWriter.flush();
    await control.removeStateFile(stack.stateDir);
    // last: a signal during this cleanup must not kill ignite half-way (state file left)
    removeSignals();
  }
  return code;
}

/** The supervisor's own Results (instances acted on, or `no-match`) reach the control plane as data. */
function controlApiOf(sup: Supervisor): ControlApi {
  return {
    ...sup.controlApi(),
    start: (patterns) => sup.start(patterns),
    stop: (patterns) => sup.stop(patterns),
    restart: (patterns) => sup.restart(patterns),
    kill: (patterns, signal) => sup.kill(patterns, signal),
  };
}
