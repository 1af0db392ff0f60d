import type { CliContext } from '../context.js';
import { say } from '../context.js';
import { connect, reportControlFailure } from '../remote.js';
import { describeOutcome, type Verb } from './action-outcome.js';
import type { ControlClient } from '../../control/index.js';

const PAST = { start: 'started', stop: 'stopped', restart: 'restarted' } as const;

/** `ignite start|stop|restart <patterns…>` on a running stack. */
export async function actionCommand(
  ctx: CliContext,
  verb: 'start' | 'stop' | 'restart',
  patterns: string[],
  options: { config?: string },
): Promise<number> {
  const remote = await connect(ctx, options.config);
  if (!remote.ok) return remote.code;
  return act(ctx, remote.client, verb, PAST[verb], patterns, () => remote.client.act(verb, patterns));
}

/**
 * Looks at the selection's rows, runs the action, and says what it did, what needed
 * nothing, and what failed (exit 1). The rows after it come with the answer: a
 * foreground `up` whose last task was just stopped (or completed) ends right after
 * answering, and a second request would find no supervisor though the action worked.
 */
export async function act(
  ctx: CliContext,
  client: ControlClient,
  verb: Verb,
  did: string,
  patterns: string[],
  action: () => ReturnType<ControlClient['act']>,
): Promise<number> {
  const before = await client.status(patterns);
  if (!before.ok) return reportControlFailure(ctx, before.error);
  const acted = await action();
  if (!acted.ok) return reportControlFailure(ctx, acted.error);
  const { tasks, status } = acted.value;
  // a supervisor that sends no rows (an older one) is asked for them
  const after = status !== undefined || tasks.length === 0 ? { ok: true as const, value: status ?? [] } : await client.status(tasks);
  if (!after.ok) return reportControlFailure(ctx, after.error);
  const outcome = describeOutcome(verb, did, { before: before.value, acted: tasks, after: after.value });
  for (const line of outcome.lines) say(ctx, line);
  return outcome.code;
}
