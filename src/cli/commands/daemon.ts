import type { CliContext } from '../context.js';
import { loadStack } from '../load.js';

/** The hidden `__daemon` command that `up -d` starts: a foreground `up` writing plain lines to its log, living until `ignite down`. */
export async function daemonCommand(ctx: CliContext, patterns: string[], options: { config?: string }): Promise<number> {
  const loaded = await loadStack(ctx, options.config);
  if (!loaded.ok) return loaded.code;
  const { runForeground } = await import('../up/foreground.js');
  ctx.stdout.write(`--- ignite ${String(process.pid)} starting at ${new Date().toISOString()}\n`);
  return runForeground(ctx, { stack: loaded.stack, patterns, renderer: 'plain', out: ctx.stdout, color: false, untilDown: true });
}
