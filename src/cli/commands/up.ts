import { chooseRenderer } from '../../render/choose.js';
import type { RendererKind } from '../../render/choose.js';
import type { CliContext } from '../context.js';
import { EXIT, say } from '../context.js';
import { loadStack } from '../load.js';

interface UpOptions {
  config?: string;
  detach?: boolean;
  output?: RendererKind;
}

/** `ignite up [patterns…] [-d] [--output …]`. */
export async function upCommand(ctx: CliContext, patterns: string[], options: UpOptions): Promise<number> {
  const loaded = await loadStack(ctx, options.config);
  if (!loaded.ok) return loaded.code;
  const { tasks } = loaded.stack;
  if (patterns.length === 0 && !tasks.some((task) => task.autostart)) {
    say(ctx, tasks.length === 0 ? 'the config has no tasks: nothing to start' : 'every task has autostart: false: nothing to start (name one: `ignite up <task>`)');
    return EXIT.ok;
  }
  if (options.detach === true) {
    const { detach } = await import('../up/detach.js');
    return detach(ctx, loaded.stack, patterns);
  }
  const { runForeground } = await import('../up/foreground.js');
  return runForeground(ctx, {
    stack: loaded.stack,
    patterns,
    renderer: chooseRenderer({ isTTY: ctx.isTTY, ci: ctx.ci, dumb: ctx.env.TERM === 'dumb', output: options.output }),
    out: ctx.stdout,
    color: ctx.color,
  });
}
