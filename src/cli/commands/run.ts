import type { RendererKind } from '../../render/choose.js';
import { chooseRenderer } from '../../render/choose.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../context.js';
import { loadStack } from '../load.js';
import { oneshotsOf } from '../up/selection.js';
import { refuseIfRunning } from '../up/already-running.js';
import { handleSignals } from '../up/signals.js';

/** `ignite run <task>`: start the task and what it needs; exit with its exit code; stop the rest. */
export async function runCommand(ctx: CliContext, task: string, options: { config?: string; output?: RendererKind }): Promise<number> {
  const loaded = await loadStack(ctx, options.config);
  if (!loaded.ok) return loaded.code;
  const stack = loaded.stack;
  const [{ Supervisor }, render, { createRenderer }, graph] = await Promise.all([
    import('../../supervisor/supervisor.js'),
    import('../../render/index.js'),
    import('../../render/create.js'),
    import('../../graph/index.js'),
  ]);
  const base = task.split(':')[0] ?? task;
  if (!stack.tasks.some((t) => t.name === base)) {
    ctx.stderr.write(`ignite: ${render.formatFailure({ reason: 'unknown-task', task, known: stack.tasks.map((t) => t.name) })}\n`);
    return EXIT.invalid;
  }
  // its tasks would run a second time beside the stack's, writing the same log files
  const running = await refuseIfRunning(ctx, stack);
  if (running !== undefined) return running;
  const needed = new Set(graph.withDependencies(graph.graphOfStack(stack), [base]));
  const sup = new Supervisor(stack);
  const names = sup.status().filter((row) => needed.has(row.task)).map((row) => row.name);
  const kind = chooseRenderer({ isTTY: ctx.isTTY, ci: ctx.ci, dumb: ctx.env.TERM === 'dumb', output: options.output });
  const renderer = await createRenderer(kind, { out: ctx.stdout, color: ctx.color, names, oneshots: oneshotsOf(stack, names) });
  const onEvent = (event: Parameters<typeof renderer.event>[0]): void => {
    renderer.event(event);
    // the progress view ends once the task itself runs: its output streams as lines
    if (event.type === 'task-spawn' && event.task === task) void renderer.settled();
  };
  sup.on('event', onEvent);
  const stop = { interrupted: false };
  const removeSignals = handleSignals({
    stop(force) {
      stop.interrupted = true;
      void sup.down(force ? { force: true } : {});
    },
    forward: (signal) => sup.signalAll(signal),
  });
  try {
    const result = await sup.run(task);
    await sup.down();
    await renderer.settled();
    if (stop.interrupted) return EXIT.interrupted;
    if (result.ok) return result.value;
    renderer.note(`ignite: ${render.formatFailure(result.error)}`);
    return result.error.reason === 'unknown-task' || result.error.reason === 'no-match' ? EXIT.invalid : EXIT.failed;
  } finally {
    sup.off('event', onEvent);
    await renderer.close();
    removeSignals();
  }
}
