/**
 * Health probes: after the start period, one check every interval (a setTimeout
 * chain, so slow checks never pile up), each bounded by its timeout.
 */
import type { HealthSpec } from '../core/model.js';
import type { Outcome } from './probe.js';
import { checkOnce } from './strategy.js';
import type { HealthReport, HealthRun } from './types.js';

export function startHealth(spec: HealthSpec, run: HealthRun, onReport: (report: HealthReport) => void): { stop(): void } {
  const stopped = new AbortController();
  const abortStop = (): void => stopped.abort();
  run.signal.addEventListener('abort', abortStop, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  const retries = Math.max(1, spec.retries);

  const tick = async (): Promise<void> => {
    const outcome = await checkBounded(spec, run, stopped.signal);
    if (stopped.signal.aborted) return;
    failures = outcome.ok ? 0 : failures + 1;
    onReport({ healthy: outcome.ok, failures, message: outcome.ok ? undefined : outcome.message, unhealthy: failures >= retries });
    timer = setTimeout(() => void tick(), spec.intervalMs);
  };

  timer = setTimeout(() => void tick(), spec.startPeriodMs);
  return {
    stop(): void {
      clearTimeout(timer);
      stopped.abort();
      run.signal.removeEventListener('abort', abortStop);
    },
  };
}

async function checkBounded(spec: HealthSpec, run: HealthRun, stopped: AbortSignal): Promise<Outcome> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  stopped.addEventListener('abort', abort, { once: true });
  let timedOut: Outcome | undefined;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => {
      timedOut = { ok: false, message: `check timed out after ${spec.timeoutMs}ms` };
      controller.abort();
      resolve(timedOut);
    }, spec.timeoutMs);
  });
  try {
    const outcome = await Promise.race([checkOnce(spec.check, run, controller.signal, spec.timeoutMs), deadline]);
    return timedOut ?? outcome;
  } finally {
    clearTimeout(timer);
    stopped.removeEventListener('abort', abort);
    controller.abort();
  }
}
