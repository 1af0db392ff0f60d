import type { CliContext } from '../context.js';
import { EXIT, say } from '../context.js';

/**
 * Exit 2 with a message when a stack already owns `stateDir` (its socket answers,
 * or is busy: anything but "nobody listens"); undefined when the place is free.
 */
export async function refuseIfRunning(ctx: CliContext, stateDir: string): Promise<number | undefined> {
  const control = await import('../../control/index.js');
  const existing = await control.ControlClient.connect(stateDir);
  if (existing.ok) {
    const info = await existing.value.info();
    say(ctx, `a stack is already running here (pid ${info.ok ? info.value.pid : '?'}); use \`ignite ps\` or \`ignite down\``);
    return EXIT.invalid;
  }
  if (existing.error.reason !== 'not-running') {
    say(ctx, `a stack may already be running here: ${existing.error.message}`);
    return EXIT.invalid;
  }
  return undefined;
}
