import type { CliContext } from '../context.js';
import { EXIT, say } from '../context.js';
import { connect, reportControlFailure } from '../remote.js';

/** `ignite start|stop|restart <patterns…>` on a running stack. */
export async function actionCommand(
  ctx: CliContext,
  verb: 'start' | 'stop' | 'restart',
  patterns: string[],
  options: { config?: string },
): Promise<number> {
  const remote = await connect(ctx, options.config);
  if (!remote.ok) return remote.code;
  const done = await remote.client[verb](patterns);
  if (!done.ok) return reportControlFailure(ctx, done.error);
  const past = { start: 'started', stop: 'stopped', restart: 'restarted' }[verb];
  say(ctx, done.value.length === 0 ? `nothing to ${verb}` : `${past} ${done.value.join(', ')}`);
  return EXIT.ok;
}
