/**
 * `ready.notify()`: the task writes a line (any text, as in s6) to the fd named
 * in IGNITE_NOTIFY_FD. The supervisor owns the stream; after readiness it keeps
 * flowing with no listener, so a chatty task never blocks on a full pipe.
 */
import type { Readable } from 'node:stream';
import { fatal, READY, settleOnce, type Outcome } from './probe.js';

/** The fd the child sees; the supervisor spawns with one extra pipe after stdio. */
export const NOTIFY_FD = '3';

export function waitNotify(stream: Readable | undefined, signal: AbortSignal): Promise<Outcome> {
  if (stream === undefined) return Promise.resolve(fatal('internal error: the task was spawned without a notify fd'));
  if (stream.destroyed) return Promise.resolve(fatal('the task closed the notify fd without writing a line'));
  return settleOnce(signal, (settle) => {
    const onData = (chunk: Buffer | string): void => {
      if ((typeof chunk === 'string' ? chunk.includes('\n') : chunk.includes(10))) settle(READY);
    };
    const onEnd = (): void => settle(fatal('the task closed the notify fd without writing a line'));
    const onError = (error: Error): void => settle(fatal(`reading the notify fd failed: ${error.message}`));
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('close', onEnd);
    stream.once('error', onError);
    return () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('close', onEnd);
      stream.off('error', onError);
    };
  });
}
