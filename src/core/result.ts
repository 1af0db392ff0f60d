/** Failures are data: functions that can fail in a way a user should see return a Result. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });

/** Ends every switch over a union, so the compiler finds the case that was forgotten. */
export function unreachable(value: never): never {
  throw new Error(`internal error: unexpected value ${JSON.stringify(value)} — please report`);
}
