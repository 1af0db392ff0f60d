/**
 * The process event the CLI's entry emits when stdout's reader went away (EPIPE).
 * A command that must wind down first (a foreground `up` stops its stack) listens
 * for it; with no listener the entry exits 0, a normal end for `logs -f | head -1`.
 * An event on `process`, because the entry and the bundle are separate module graphs.
 */
export const STDOUT_CLOSED = 'ignite:stdout-closed';

/** Hands a closed stdout to the command that listens, else exits 0. */
export function stdoutClosed(): void {
  if (process.listenerCount(STDOUT_CLOSED) > 0) process.emit(STDOUT_CLOSED as 'exit', 0);
  else process.exit(0);
}
