/** `ready.delay(duration)`: ready once the duration has passed since the spawn. */
import type { ReadySpec } from '../core/ready-spec.js';
import { toMs } from '../util/duration.js';
import { READY, settleOnce, type Outcome } from './probe.js';

type DelaySpec = Extract<ReadySpec, { kind: 'delay' }>;

/** As a health check a delay has nothing to look at: it always passes. */
export function checkDelay(): Promise<Outcome> {
  return Promise.resolve(READY);
}

export function waitDelay(spec: DelaySpec, signal: AbortSignal): Promise<Outcome> {
  const ms = toMs(spec.duration);
  return settleOnce(signal, (settle) => {
    const timer = setTimeout(() => settle(READY), ms);
    return () => clearTimeout(timer);
  });
}
