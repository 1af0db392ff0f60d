import type { SupervisorEvent } from '../../core/events.js';

type Control = typeof import('../../control/index.js');

const MIN_GAP_MS = 50;

interface Child {
  pid: number;
  /** Read from /proc at the first write after the spawn (not in the spawn's turn). */
  startTime: number | undefined;
}

/**
 * Keeps `<stateDir>/run/state.json` in step with the live children, so that a
 * later ignite can clean up after this one if it is killed. The children come
 * from the events alone (a child's start time is read once, at the first write), and
 * a burst of spawns and exits is one write.
 *
 * Writes are at least MIN_GAP_MS apart: a task crash-looping with no backoff spawns
 * every few milliseconds, and a write per spawn was ~10% of each respawn (issue 7,
 * S4). What the file misses in that gap the guardian still covers: it learns of
 * every group synchronously and kills them all if ignite is SIGKILLed.
 */
export function createStateWriter(
  control: Control,
  options: { stateDir: string; configFile: string; version?: string; warn: (text: string) => void },
): { onEvent(event: SupervisorEvent): void; flush(): Promise<void> } {
  const supervisorStart = control.processStartTime(process.pid) ?? 0;
  const children = new Map<string, Child>();
  let last: Promise<unknown> = Promise.resolve();
  let scheduled: NodeJS.Timeout | undefined;
  let lastWriteAt = -Infinity;
  let warned = false;
  const write = (): void => {
    clearTimeout(scheduled);
    scheduled = undefined;
    lastWriteAt = performance.now();
    const rows = [];
    for (const [task, child] of children) {
      child.startTime ??= control.processStartTime(child.pid);
      // gone before we looked: nothing a later ignite could clean up
      if (child.startTime === undefined) children.delete(task);
      else rows.push({ task, pid: child.pid, pgid: child.pid, startTime: child.startTime });
    }
    last = control
      .writeStateFile(options.stateDir, {
        supervisorPid: process.pid,
        supervisorStart,
        configFile: options.configFile,
        ...(options.version === undefined ? {} : { version: options.version }),
        children: rows,
      })
      .then((result) => {
        if (!result.ok && !warned) {
          warned = true;
          options.warn(`cannot write the state file: ${result.error}`);
        }
      });
  };
  const schedule = (): void => {
    scheduled ??= setTimeout(write, Math.max(0, lastWriteAt + MIN_GAP_MS - performance.now()));
  };
  return {
    onEvent(event: SupervisorEvent): void {
      if (event.type === 'task-spawn') {
        children.set(event.task, { pid: event.pid, startTime: undefined });
        schedule();
      } else if (event.type === 'task-exit') {
        if (children.get(event.task)?.pid === event.pid) children.delete(event.task);
        schedule();
      }
    },
    flush: () => {
      if (scheduled !== undefined) write();
      return last.then(() => undefined);
    },
  };
}
