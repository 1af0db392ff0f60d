/**
 * Readiness and health probes. `prepareReady` runs before the spawn (a `pipe`
 * needs its FIFO, a `notify` an extra fd); the returned `wait` runs after it.
 */
import type { Failure } from '../core/failure.js';
import type { ReadySpec } from '../core/ready-spec.js';
import { describeReady, leafChecks } from '../core/ready-spec.js';
import { err, ok } from '../core/result.js';
import { NOTIFY_FD } from './notify.js';
import { createFifo } from './pipe.js';
import type { PreparedReady, PrepareOptions } from './types.js';
import { waitReady } from './wait.js';

export { startHealth } from './health.js';
export type * from './types.js';

function uses(spec: ReadySpec, kind: 'pipe' | 'notify'): boolean {
  return leafChecks(spec).some((leaf) => leaf.kind === kind);
}

export async function prepareReady(spec: ReadySpec | undefined, options: PrepareOptions): Promise<PreparedReady> {
  if (spec === undefined) {
    return { env: {}, needsNotifyFd: false, wait: () => Promise.resolve(ok(undefined)), dispose: () => Promise.resolve() };
  }
  const env: Record<string, string> = {};
  const needsNotifyFd = uses(spec, 'notify');
  if (needsNotifyFd) env.IGNITE_NOTIFY_FD = NOTIFY_FD;
  let fifo: string | undefined;
  let removeFifo = (): Promise<void> => Promise.resolve();
  if (uses(spec, 'pipe')) {
    const made = await createFifo(options.runDir, options.task, options.owner);
    if (!made.ok) {
      // Reported when the supervisor waits, as data like every other readiness failure.
      const failure: Failure = { reason: 'ready-error', task: options.task, strategy: describeReady(spec), message: made.error, lastLines: [] };
      return { env, needsNotifyFd, wait: () => Promise.resolve(err(failure)), dispose: () => Promise.resolve() };
    }
    fifo = made.value.path;
    removeFifo = made.value.remove;
    env.IGNITE_READY_PIPE = fifo;
  }
  let disposed: Promise<void> | undefined;
  return {
    env,
    needsNotifyFd,
    wait: (run) => waitReady(spec, run, fifo),
    dispose: () => (disposed ??= removeFifo()),
  };
}
