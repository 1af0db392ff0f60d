import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags every command runs under, set before the bundle loads and never undone,
 * so that the bundle's code cache is checked and made under the same flags.
 *
 * An idle `up`'s only real CPU cost is V8's memory reducer: by default it looks 8 s
 * after startup and runs two or three compacting GCs of the whole ~11 MB heap. It is
 * worth keeping (without it PSS stays at ~49 MB), so it runs once, and its first look
 * comes 1 s after start, not 8 (where `up` makes it collect: up/idle-gc.ts). V8
 * schedules that look while the bundle is still loading, hence here.
 *
 * Measured (issue 7, S2: 100 idle children, 2 cores; CPU per 20 s / PSS):
 * reducer as is 0.08–0.11 s / 27–33 MB; one GC at ~8 s 0.03–0.05 s / 30–37 MB;
 * one GC at ~1 s 0.000 s / the same; none 0 s / 49 MB.
 */
export function setCliV8Flags(): void {
  setFlagsFromString(`--memory-reducer-single-gc --gc-memory-reducer-start-delay-ms=${String(REDUCER_FIRST_LOOK_MS)}`);
}

/** When the memory reducer first looks, in ms after V8 arms it (~0.1 s into the process): the CLI's code cache and `up`'s GC flags are timed from it. */
export const REDUCER_FIRST_LOOK_MS = 1000;
