/**
 * Runs a strategy's wait under the task's readiness deadline and turns its
 * outcome into the Result the supervisor expects.
 */
import type { Failure } from '../core/failure.js';
import { describeReady, type ReadySpec } from '../core/ready-spec.js';
import { err, ok, type Result } from '../core/result.js';
import { isAborted, lastMiss, settleOnce, type Outcome, type ProbeRun } from './probe.js';
import { waitFor } from './strategy.js';
import type { ReadyRun } from './types.js';

const LAST_LINES = 10;

export async function waitReady(spec: ReadySpec, run: ReadyRun, fifo: string | undefined): Promise<Result<void, Failure>> {
  const strategy = describeReady(spec);
  const lastLines = (): string[] => run.output.recent().slice(-LAST_LINES);
  if (run.signal.aborted) return err({ reason: 'ready-error', task: run.task, strategy, message: 'aborted', lastLines: lastLines() });

  const controller = new AbortController();
  const deadline = { passed: false };
  const timer = setTimeout(() => {
    deadline.passed = true;
    controller.abort();
  }, run.timeoutMs);
  const abort = (): void => controller.abort();
  run.signal.addEventListener('abort', abort, { once: true });
  const probeRun: ProbeRun = { ...run, fifo };
  try {
    // A user function may ignore its signal: settle on the abort itself, whatever the probe does.
    const outcome: Outcome = await Promise.race([waitFor(spec, probeRun, controller.signal), settleOnce(controller.signal, () => () => undefined)]);
    if (outcome.ok) return ok(undefined);
    if (isAborted(run.signal)) return err({ reason: 'ready-error', task: run.task, strategy, message: 'aborted', lastLines: lastLines() });
    if (deadline.passed) {
      const lastCheck = lastMiss(controller.signal);
      const failure: Failure = { reason: 'ready-timeout', task: run.task, strategy, timeoutMs: run.timeoutMs, lastLines: lastLines() };
      return err(lastCheck === undefined ? failure : { ...failure, lastCheck });
    }
    return err({ reason: 'ready-error', task: run.task, strategy, message: outcome.message, lastLines: lastLines() });
  } finally {
    clearTimeout(timer);
    run.signal.removeEventListener('abort', abort);
    controller.abort();
  }
}
