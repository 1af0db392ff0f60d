import type { CliContext } from '../context.js';
import { EXIT, say } from '../context.js';
import type { StackSpec } from '../../core/model.js';
import { alreadyRunningLine } from '../other-stack.js';

/**
 * Exit 2 with a message when a stack already owns the state dir (its socket answers,
 * or is busy: anything but "nobody listens"); undefined when the place is free.
 */
export async function refuseIfRunning(ctx: CliContext, stack: StackSpec): Promise<number | undefined> {
  const control = await import('../../control/index.js');
  const existing = await control.ControlClient.connect(stack.stateDir);
  if (existing.ok) {
    const running = existing.value.supervisor;
    say(ctx, alreadyRunningLine(running?.pid, stack.stateDir, running?.configFile, stack.file));
    return EXIT.invalid;
  }
  if (existing.error.reason === 'foreign-state-dir') {
    say(ctx, existing.error.message);
    return EXIT.failed;
  }
  if (existing.error.reason !== 'not-running') {
    say(ctx, `a stack may already be running here: ${existing.error.message}`);
    return EXIT.invalid;
  }
  return undefined;
}
