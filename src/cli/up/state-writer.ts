import type { SupervisorEvent } from '../../core/events.js';
import type { TaskStatus } from '../../core/status.js';

type Control = typeof import('../../control/index.js');

/**
 * Keeps `<stateDir>/run/state.json` in step with the live children, so that a
 * later ignite can clean up after this one if it is killed. Writes on spawn and
 * exit only; the control module coalesces bursts.
 */
export function createStateWriter(
  control: Control,
  options: { stateDir: string; configFile: string; status: () => TaskStatus[]; warn: (text: string) => void },
): { onEvent(event: SupervisorEvent): void; flush(): Promise<void> } {
  const supervisorStart = control.processStartTime(process.pid) ?? 0;
  let last: Promise<unknown> = Promise.resolve();
  let warned = false;
  const write = (): void => {
    const children = options.status().flatMap((row) => {
      if (row.pid === null) return [];
      const startTime = control.processStartTime(row.pid);
      return startTime === undefined ? [] : [{ task: row.name, pid: row.pid, pgid: row.pid, startTime }];
    });
    last = control
      .writeStateFile(options.stateDir, { supervisorPid: process.pid, supervisorStart, configFile: options.configFile, children })
      .then((result) => {
        if (!result.ok && !warned) {
          warned = true;
          options.warn(`cannot write the state file: ${result.error}`);
        }
      });
  };
  return {
    onEvent(event: SupervisorEvent): void {
      if (event.type === 'task-spawn' || event.type === 'task-exit') write();
    },
    flush: () => last.then(() => undefined),
  };
}
