import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Asks `attempt` until it answers (anything but undefined), waiting between tries from
 * 20 ms, doubling up to 250 ms, for at most `timeoutMs`; undefined when the time ran
 * out. `wake` cuts a wait short (the process being waited for exited, say).
 */
export async function pollUntil<T>(attempt: () => T | undefined | Promise<T | undefined>, timeoutMs: number, wake?: Promise<unknown>): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    const answer = await attempt();
    if (answer !== undefined) return answer;
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    await Promise.race([sleep(Math.min(delay, left)), ...(wake === undefined ? [] : [wake])]);
  }
}
