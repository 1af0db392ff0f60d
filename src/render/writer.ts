import type { Writable } from 'node:stream';

/**
 * Writes to an injected stream, and goes quiet instead of crashing when the reader
 * went away (`ignite logs -f | head -1`): EPIPE and later writes are swallowed.
 */
export interface SafeWriter {
  write(text: string): void;
  /** True once the reader closed the stream. */
  readonly closed: boolean;
  /** Called once when the reader closes the stream. */
  onClose(listener: () => void): void;
}

export function safeWriter(out: Writable): SafeWriter {
  let closed = false;
  const listeners: (() => void)[] = [];
  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const listener of listeners) listener();
  };
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') close();
    // other errors on a terminal stream: nothing useful to do but stop writing
    else close();
  });
  return {
    write(text: string): void {
      if (closed || out.destroyed) return;
      try {
        out.write(text);
      } catch {
        close();
      }
    },
    get closed() {
      return closed;
    },
    onClose(listener: () => void): void {
      if (closed) listener();
      else listeners.push(listener);
    },
  };
}
