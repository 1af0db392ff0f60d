import type { CliContext } from '../context.js';
import { EXIT, say } from '../context.js';
import { refuseOtherStack, reportControlFailure, resolveStateDir } from '../remote.js';
import { pollUntil } from '../../util/poll.js';

type Control = typeof import('../../control/index.js');

/**
 * `ignite down`: asks the running supervisor to stop the stack and waits until it
 * has exited. With no supervisor, stops what a dead one left behind.
 */
export async function downCommand(ctx: CliContext, options: { config?: string }): Promise<number> {
  const dir = await resolveStateDir(ctx, options.config);
  if (!dir.ok) return dir.code;
  const control = await import('../../control/index.js');
  const client = await connectOrWait(control, dir.stateDir);
  if (!client.ok) {
    if (client.error.reason !== 'not-running') return reportControlFailure(ctx, client.error);
    const report = await control.cleanupStale(dir.stateDir);
    const cleaned = control.describeCleanup(report);
    if (cleaned === undefined && dir.guessed === true) {
      // the stack may well run in a stateDir the broken config sets: no "nothing to do" for that
      say(ctx, `no stack is running in ${dir.stateDir}; the config does not load, so a stateDir it sets could not be read: fix the config and run \`ignite down\` again`);
      return EXIT.failed;
    }
    say(ctx, cleaned ?? 'no stack is running here');
    return EXIT.ok;
  }
  const other = refuseOtherStack(ctx, client.value, dir.stack);
  if (other !== undefined) return other;
  const pid = client.value.supervisor?.pid;
  const start = pid === undefined ? undefined : control.processStartTime(pid);
  const down = await client.value.down();
  if (!down.ok && down.error.reason !== 'connection-lost') return reportControlFailure(ctx, down.error);
  const timeoutMs = (dir.stack?.shutdownTimeoutMs ?? 30_000) + 5_000;
  if (pid !== undefined && start !== undefined && (await pollUntil(() => (control.isSameProcess(pid, start) ? undefined : true), timeoutMs)) === undefined) {
    say(ctx, `the supervisor (pid ${pid}) is still running after ${Math.round(timeoutMs / 1000)}s; its log: ${dir.stateDir}/ignite.log`);
    return EXIT.failed;
  }
  say(ctx, 'stack stopped');
  return EXIT.ok;
}

/**
 * The running supervisor's client. One that `up -d` is still starting (its socket not
 * up yet) is waited for, bounded: a down in that window must reach it, not miss it.
 */
async function connectOrWait(control: Control, stateDir: string): ReturnType<Control['ControlClient']['connect']> {
  const settled = await pollUntil(async () => {
    // read before the connect: once the record is gone, the socket is up (or the supervisor is dead)
    const starting = (await control.startingSupervisor(stateDir)) !== undefined;
    const client = await control.ControlClient.connect(stateDir);
    return starting && !client.ok && client.error.reason === 'not-running' ? undefined : client;
  }, 30_000);
  return settled ?? control.ControlClient.connect(stateDir);
}
