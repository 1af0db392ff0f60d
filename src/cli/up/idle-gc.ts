import { setFlagsFromString } from 'node:v8';

/**
 * Once started, an idle supervisor's only real CPU cost is V8's memory reducer:
 * some seconds after startup (8 s, or 16 s when startup allocated a lot) it runs
 * two or three compacting GCs of the whole ~11 MB heap. It is worth keeping (without
 * it PSS stays at ~49 MB), so it runs once instead.
 *
 * Measured (issue 7, S2: 100 idle children, 2 cores; CPU per 20 s / PSS):
 * reducer as is 0.08–0.11 s / 27–33 MB; one GC 0.03–0.05 s / 30–37 MB; none 0 s / 49 MB.
 * Making that GC single-threaded would reach 0.02 s, but only as a command-line flag
 * (`--single-threaded-gc`): switching GC threading at run time crashed V8 mid-GC.
 * Process-wide, hence only in the CLI's `up` (never in the library API).
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
