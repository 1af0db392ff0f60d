/**
 * A server that daemonizes (nginx without `daemon off;`, `redis-server --daemonize
 * yes`, `pg_ctl start`) leaves its task's process group and, by rewriting its
 * environment for its process title, the escape sweep's reach too. What gives it
 * away is the port it listens on: once an attempt's group is gone, a port its ready
 * check probes, free when it was spawned, that something outside this run still
 * listens on was most likely opened by that server. ignite cannot tell for sure, so
 * it names the process and leaves it alone.
 */
import { portHolders } from '../ready/preflight.js';
import type { AttemptOwner } from './attempt.js';
import { carriesRun } from './process/escapees.js';

export async function warnOfDaemons({ name, host }: AttemptOwner, freePorts: readonly number[]): Promise<void> {
  if (freePorts.length === 0) return;
  for (const holder of await portHolders(freePorts)) {
    // one of this run's own processes is the escape sweep's (or another task's)
    if (holder.pid === undefined || carriesRun(holder.pid, host.runId)) continue;
    const who = `pid ${holder.pid}${holder.command === undefined ? '' : ` (${holder.command})`}`;
    const message =
      `${who} listens on port ${holder.port} after ${name}'s processes are gone: the server put itself in the background (daemonized), ` +
      `where ignite cannot stop it, and it keeps running after ignite; run it in the foreground (stop this one with kill ${holder.pid})`;
    host.emit({ type: 'task-warning', task: name, message, at: Date.now() });
  }
}
