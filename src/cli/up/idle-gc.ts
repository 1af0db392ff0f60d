import { setFlagsFromString } from 'node:v8';
import { REDUCER_FIRST_LOOK_MS } from '../v8-flags.js';

/**
 * What an idle life needs of V8's GC (the memory reducer's own flags: ../v8-flags.ts).
 * Process-wide, hence only in the CLI's `up` (never in the library API). Called once
 * startup has settled; the flags change 0.9 s after the process started (or at once, if
 * it settled later): after the CLI's code cache is made (0.8 s, ../code-cache.ts), as
 * they change V8's flag hash and a cache made under them would be rejected by the next run.
 */
export function tuneGcForIdle(): void {
  setTimeout(() => {
    compactFullGcs();
    collectSoon();
  }, Math.max(0, FIRST_LOOK_FROM_MS - performance.now())).unref();
}

/**
 * Every full GC compacts the pages it leaves fragmented:
 * V8's own choice left ~2 MB free inside the old space of an idle `up` after that one
 * GC. S2, alternated copies: PSS 39.9–40.3 → 38.0–38.8 MB, CPU +0.01 s (the GC moves
 * more). Not from the start: startup's full GC would pause 9–11 ms instead of 2.
 */
function compactFullGcs(): void {
  setFlags('--compact-on-every-full-gc');
}

/**
 * The reducer runs its one GC only once it finds the allocation rate low, and right after
 * a startup it never does: its first look (~1.1 s after the process started; that delay
 * is set in ../v8-flags.ts) then waits 8 s more, so the GC fell inside the idle life it is
 * meant to spare (S2: all of the window's 0.03–0.04 s of CPU). With `--optimize-for-size`
 * on at that look, V8 collects at once: S2's window then costs ~0.000 s, PSS unchanged.
 * Only around that look, and only after startup: the flag also makes the heap grow in
 * small steps (on from the moment `up` settled, it slowed S3's 500k lines from ~430 to
 * ~550 ms). A look that misses the window collects 8 s later, as before.
 */
function collectSoon(): void {
  const left = FIRST_LOOK_UNTIL_MS - performance.now();
  if (left <= 0) return;
  setFlags('--optimize-for-size');
  // it also sets --max-semi-space-size=1 (which the running heap ignores): both go back
  setTimeout(() => setFlags('--no-optimize-for-size --max-semi-space-size=0'), left).unref();
}

/** Around the reducer's first look (~1.1 s), in ms since the process started; after the code cache is made (0.8 s). */
const FIRST_LOOK_FROM_MS = REDUCER_FIRST_LOOK_MS - 100;
const FIRST_LOOK_UNTIL_MS = REDUCER_FIRST_LOOK_MS + 600;

function setFlags(flags: string): void {
  try {
    setFlagsFromString(flags);
  } catch {
    // an embedder that refuses flag changes keeps V8's defaults
  }
}
