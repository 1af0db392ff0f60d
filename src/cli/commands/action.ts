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
  return act(ctx, remote.client, verb, PAST[verb], patterns, () => remote.client[verb](patterns));
}

/**
 * Runs the action between two looks at the selection's rows, and says what it did,
 * what needed nothing, and what failed (exit 1).
 */
export async function act(
  ctx: CliContext,
  client: ControlClient,
  verb: Verb,
  did: string,
  patterns: string[],
  action: () => ReturnType<ControlClient['start']>,
): Promise<number> {
  const before = await client.status(patterns);
  if (!before.ok) return reportControlFailure(ctx, before.error);
  const acted = await action();
  if (!acted.ok) return reportControlFailure(ctx, acted.error);
  const after = acted.value.length === 0 ? { ok: true as const, value: [] } : await client.status(acted.value);
  if (!after.ok) return reportControlFailure(ctx, after.error);
  const outcome = describeOutcome(verb, did, { before: before.value, acted: acted.value, after: after.value });
  for (const line of outcome.lines) say(ctx, line);
  return outcome.code;
}
