import type { SupervisorEvent } from '../core/events.js';
import type { ControlApi } from '../core/model.js';
import type { Supervisor } from './supervisor.js';

/**
 * The ControlApi over a Supervisor. Every action resolves with a Result: the
 * instances acted on, or the failure as data (`no-match` with the known names);
 * it never rejects for something a user did. `status(patterns)` matches like the
 * actions do, and answers `[]` where an action would answer `no-match`.
 */
export function toControlApi(supervisor: Supervisor): ControlApi {
  return {
    status: (patterns) => supervisor.status(patterns),
    start: (patterns) => supervisor.start(patterns),
    stop: (patterns) => supervisor.stop(patterns),
    restart: (patterns) => supervisor.restart(patterns),
    kill: (patterns, signal) => supervisor.kill(patterns, signal),
    down: () => supervisor.down(),
    subscribe: (listener: (event: SupervisorEvent) => void) => {
      supervisor.on('event', listener);
      return () => supervisor.off('event', listener);
    },
  };
}
