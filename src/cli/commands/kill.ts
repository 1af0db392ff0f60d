import type { CliContext } from '../context.js';
import { EXIT, say } from '../context.js';
import { connect } from '../remote.js';
import { act } from './action.js';

/** `ignite kill [-s SIGNAL] <patterns…>`. */
export async function killCommand(ctx: CliContext, patterns: string[], options: { config?: string; signal: string }): Promise<number> {
  const { normalizeSignal, SIGNALS } = await import('../../control/index.js');
  // kill(1)'s `kill -9 api`: commander takes a negative number for a pattern
  const dashed = patterns.find((pattern) => /^-\d+$/.test(pattern));
  if (dashed !== undefined) {
    say(ctx, `"${dashed}" is not a task: the signal is given with -s (ignite kill -s ${dashed.slice(1)} …)`);
    return EXIT.invalid;
  }
  const signal = normalizeSignal(options.signal);
  if (signal === undefined) {
    say(ctx, `unknown signal "${options.signal}"; allowed: ${SIGNALS.join(', ')}`);
    return EXIT.invalid;
  }
  const remote = await connect(ctx, options.config);
  if (!remote.ok) return remote.code;
  return act(ctx, remote.client, 'kill', `sent ${signal} to`, patterns, () => remote.client.act('kill', patterns, signal));
}
