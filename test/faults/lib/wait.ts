/** Bounded waits: poll a condition starting fast and backing off, never a fixed sleep. */
import { isLive } from './proc.js';

export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let pause = 2;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
    pause = Math.min(pause * 2, 50);
  }
}

/** Resolves once every pid is gone (or a zombie); rejects at the deadline. */
export function waitGone(pids: number | number[], timeoutMs = 5000): Promise<true> {
  const list = Array.isArray(pids) ? pids : [pids];
  return waitFor(() => list.every((pid) => !isLive(pid)), `pids ${list.join(', ')} to vanish`, timeoutMs);
}

/** True if `check` stays false for the whole window (a bounded negative wait). */
export async function staysFalse(check: () => boolean, windowMs: number): Promise<boolean> {
  const deadline = Date.now() + windowMs;
  while (Date.now() < deadline) {
    if (check()) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return !check();
}
