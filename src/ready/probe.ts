/**
 * What every strategy file shares: the outcome of a check, the environment a
 * probe runs in, and polling with backoff.
 */
import type { Readable } from 'node:stream';
import { sleep } from '../util/abort.js';
import type { HealthRun } from './types.js';
import { errorMessage } from '../util/error-message.js';

/**
 * `fatal` failures end a wait at once (a function threw, the notify fd closed);
 * the others mean "not yet" and a wait tries again.
 */
export type Outcome = { ok: true } | { ok: false; message: string; fatal?: boolean };

export const READY: Outcome = { ok: true };
export const ABORTED: Outcome = { ok: false, message: 'aborted', fatal: true };

/**
 * `signal.aborted` read after an await. TypeScript keeps the narrowing of an
 * earlier `if (signal.aborted) return` across awaits, where it no longer holds.
 */
export const isAborted = (signal: AbortSignal): boolean => signal.aborted;

export const notYet = (message: string): Outcome => ({ ok: false, message });
export const fatal = (message: string): Outcome => ({ ok: false, message, fatal: true });

/** A probe's world: the run, plus what `prepareReady` made (only waits use those). */
export interface ProbeRun extends HealthRun {
  notify?: Readable | undefined;
  /** The FIFO `prepareReady` created for a `pipe` strategy. */
  fifo?: string | undefined;
}

export interface Backoff {
  firstMs: number;
  factor: number;
  maxMs: number;
}

export const PROBE_BACKOFF: Backoff = { firstMs: 10, factor: 1.5, maxMs: 500 };
export const FUNCTION_BACKOFF: Backoff = { firstMs: 10, factor: 1.5, maxMs: 1000 };

/** The last "not yet" of the polls under a signal: why the check was still failing when its deadline passed. */
const misses = new WeakMap<AbortSignal, string>();

export function lastMiss(signal: AbortSignal): string | undefined {
  return misses.get(signal);
}

/** Records why a wait under `signal` is still failing (poll does it for each miss; all/any for their children). */
export function recordMiss(signal: AbortSignal, message: string): void {
  misses.set(signal, message);
}

/** Runs `attempt` until it passes or fails fatally, sleeping with backoff between tries. */
export async function poll(attempt: (signal: AbortSignal) => Promise<Outcome>, signal: AbortSignal, backoff: Backoff): Promise<Outcome> {
  let delay = backoff.firstMs;
  while (!signal.aborted) {
    const outcome = await attempt(signal);
    if (outcome.ok || outcome.fatal === true) return outcome;
    if (outcome.message !== 'aborted') recordMiss(signal, outcome.message);
    if (isAborted(signal)) break;
    try {
      await sleep(delay, signal);
    } catch {
      break;
    }
    delay = Math.min(backoff.maxMs, delay * backoff.factor);
  }
  return ABORTED;
}

/**
 * An event-driven wait: `setup` registers its listeners and returns their cleanup;
 * the first `settle` (or the signal's abort) resolves, and everything is removed.
 */
export function settleOnce(signal: AbortSignal, setup: (settle: (outcome: Outcome) => void) => () => void): Promise<Outcome> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve) => {
    const state = { done: false };
    let cleanup: (() => void) | undefined;
    const settle = (outcome: Outcome): void => {
      if (state.done) return;
      state.done = true;
      signal.removeEventListener('abort', onAbort);
      cleanup?.();
      resolve(outcome);
    };
    const onAbort = (): void => settle(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    let remove: () => void;
    try {
      remove = setup(settle);
    } catch (error) {
      settle(fatal(errorMessage(error))); // e.g. net.connect throws at once for a port out of range
      return;
    }
    if (state.done) remove();
    else cleanup = remove;
  });
}
