import type { SupervisorEvent } from '../core/events.js';
import type { Failure } from '../core/failure.js';
import type { ControlApi } from '../core/model.js';
import type { Result } from '../core/result.js';
import { describeFailure } from './failure-text.js';
import type { Supervisor } from './supervisor.js';

/** A failed control operation; `failure` is the data (the control plane serialises it). */
export class ControlFailure extends Error {
  constructor(readonly failure: Failure) {
    super(describeFailure(failure));
    this.name = 'ControlFailure';
  }
}

function unwrap(result: Result<unknown, Failure>): void {
  if (!result.ok) throw new ControlFailure(result.error);
}

/** The ControlApi shape (Promise<void> operations) over a Supervisor; failures reject with ControlFailure. */
export function toControlApi(supervisor: Supervisor): ControlApi {
  return {
    status: (patterns) => supervisor.status(patterns),
    start: async (patterns) => unwrap(await supervisor.start(patterns)),
    stop: async (patterns) => unwrap(await supervisor.stop(patterns)),
    restart: async (patterns) => unwrap(await supervisor.restart(patterns)),
    kill: async (patterns, signal) => unwrap(await supervisor.kill(patterns, signal)),
    down: () => supervisor.down(),
    subscribe: (listener: (event: SupervisorEvent) => void) => {
      supervisor.on('event', listener);
      return () => supervisor.off('event', listener);
    },
  };
}
