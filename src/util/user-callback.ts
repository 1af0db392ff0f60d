/**
 * Calling code a user or plugin wrote that ignite does not wait for (stats handlers,
 * event listeners): a throw or a rejection is reported, never let through to the
 * supervisor, and the same failure is not reported over and over.
 */

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
