import { setFlagsFromString } from 'node:v8';

/**
 * Once started, an idle supervisor's only real CPU cost is V8's memory reducer:
 * some seconds after startup (8 s, or 16 s when startup allocated a lot) it runs
 * two or three compacting GCs of the whole ~11 MB heap. It is worth keeping (without
 * it PSS stays at ~49 MB), so it runs once instead.
 *
 * Measured (issue 7, S2: 100 idle children, 2 cores; CPU per 20 s / PSS):
 * reducer as is 0.08–0.11 s / 27–33 MB; one GC 0.03–0.05 s / 30–37 MB; none 0 s / 49 MB.
 * `collectSoon` below moves that one GC to ~1 s after start. Process-wide, hence
 * only in the CLI's `up` (never in the library API).
 */
export function tuneGcForIdle(): void {
  setFlagsUntilExit(['--memory-reducer-single-gc'], ['--no-memory-reducer-single-gc']);
}

/**
 * Once startup has settled, every full GC compacts the pages it leaves fragmented:
 * V8's own choice left ~2 MB free inside the old space of an idle `up` after that one
 * GC. S2, alternated copies: PSS 39.9–40.3 → 38.0–38.8 MB, CPU +0.01 s (the GC moves
 * more). Not from the start: startup's full GC would pause 9–11 ms instead of 2.
 */
export function compactFullGcs(): void {
  setFlagsUntilExit(['--compact-on-every-full-gc'], ['--no-compact-on-every-full-gc']);
}

/**
 * The reducer runs its one GC only once it finds the allocation rate low, and right after a
 * startup it never does: its first look (~1.1 s after the process started; main.ts sets that
 * delay) waits 8 s more, so the GC fell inside the idle life it is meant to spare (S2: all of
 * the window's 0.03–0.04 s of CPU). With `--optimize-for-size` on at that look, V8 collects at
 * once: S2's window then costs ~0.000 s, PSS unchanged. Only in that window, and only after
 * startup: the flag also makes the heap grow in small steps (on from the moment `up` settled, it
 * slowed S3's 500k lines from ~430 to ~550 ms). A look that misses the window collects 8 s later.
 */
export function collectSoon(): void {
  const now = performance.now();
  if (now >= FIRST_LOOK_UNTIL_MS) return;
  const open = (): void => {
    setFlagsUntilExit(['--optimize-for-size'], OPTIMIZE_FOR_SIZE_OFF);
    setTimeout(() => setFlagsFromString(OPTIMIZE_FOR_SIZE_OFF.join(' ')), FIRST_LOOK_UNTIL_MS - performance.now()).unref();
  };
  setTimeout(open, Math.max(0, FIRST_LOOK_FROM_MS - now)).unref();
}

/** Around the reducer's first look, in ms since the process started. */
const FIRST_LOOK_FROM_MS = 900;
const FIRST_LOOK_UNTIL_MS = 1600;
/** `--optimize-for-size` also sets `--max-semi-space-size=1`: both go back, or the flag hash (and the code cache) would differ. */
const OPTIMIZE_FOR_SIZE_OFF = ['--no-optimize-for-size', '--max-semi-space-size=0'];

function setFlagsUntilExit(flags: string[], reset: string[]): void {
  try {
    setFlagsFromString(flags.join(' '));
    // V8 rejects code caches made under other flags: put them back before the CLI's
    // code cache is written at exit (code-cache.ts), or every `up` would miss it
    process.prependOnceListener('exit', () => setFlagsFromString(reset.join(' ')));
  } catch {
    // an embedder that refuses flag changes keeps V8's defaults
  }
}
