/**
 * Calling code a user or plugin wrote: what ignite does not wait for (stats handlers,
 * event listeners) has a throw or a rejection reported, never let through to the
 * supervisor, and the same failure not reported over and over; what it waits for
 * (hooks, a control server's start and stop) it waits for within a bound.
 */
import { errorMessage } from './error-message.js';

/** Calls `fn(arg)`: a throw, or a rejection of the promise it returns, goes to `failed`. */
export function callUnawaited<A>(fn: (arg: A) => unknown, arg: A, failed: (error: unknown) => void): void {
  try {
    const result = fn(arg);
    if (result instanceof Promise) result.catch(failed);
  } catch (error) {
    failed(error);
  }
}

/**
 * Which failure messages were said, per key (a handler and a task, say): each once, and
 * at most `limit` different ones per key, so a message that changes every time (a
 * timestamp in it) does not add a line for ever.
 */
export class SaidOnce {
  private said = new Map<string, Set<string>>();

  constructor(private readonly limit = 10) {}

  /** undefined when `message` is not to be said; else whether it is the last one said for `key`. */
  take(key: string, message: string): { last: boolean } | undefined {
    const said = this.said.get(key) ?? new Set<string>();
    this.said.set(key, said);
    if (said.has(message) || said.size === this.limit) return undefined;
    said.add(message);
    return { last: said.size === this.limit };
  }
}

/** How long `callBounded` waits, and what ends the wait early. */
export interface Bound {
  timeoutMs: number;
  /** Why, when the time ran out: `did not finish within 30s (shutdownTimeout)`. */
  late: string;
  /** Called when the time runs out, as the wait ends (to abort what the code was given). */
  onLate?: () => void;
  /** Ends the wait at once, saying `message` (a second Ctrl+C). */
  cut?: { signal: AbortSignal; message: string };
  /** Once it aborts, the timer no longer keeps the process alive (the stack is going down). */
  unrefOn?: AbortSignal;
}

/**
 * Awaits code a user or plugin wrote, but never for ever: undefined once `step` settles,
 * else why not — its error's message, `late`, or the cut's message. What is no longer
 * waited for runs on unwatched.
 */
export async function callBounded(step: () => unknown, bound: Bound): Promise<string | undefined> {
  const undo: (() => void)[] = [];
  const ended = new Promise<string>((resolve) => {
    const timer = setTimeout(() => {
      bound.onLate?.();
      resolve(bound.late);
    }, bound.timeoutMs);
    undo.push(() => clearTimeout(timer));
    whenAborted(bound.unrefOn, () => timer.unref(), undo);
    const cut = bound.cut;
    if (cut !== undefined) whenAborted(cut.signal, () => resolve(cut.message), undo);
  });
  const called = Promise.resolve()
    .then(step)
    .then(
      () => undefined,
      (error: unknown) => errorMessage(error),
    );
  try {
    return await Promise.race([called, ended]);
  } finally {
    for (const undoOne of undo) undoOne();
  }
}

function whenAborted(signal: AbortSignal | undefined, run: () => void, undo: (() => void)[]): void {
  if (signal === undefined) return;
  if (signal.aborted) return run();
  signal.addEventListener('abort', run, { once: true });
  undo.push(() => signal.removeEventListener('abort', run));
}
