import type { Writable } from 'node:stream';

/**
 * Writes to an injected stream, and goes quiet instead of crashing when the reader
 * went away (`ignite logs -f | head -1`): EPIPE and later writes are swallowed.
 *
 * Text is collected and written once per turn of the event loop: process.stdout on a
 * file or pipe is one blocking write(2) per call, which cost more than half of a
 * 500k-line run. Pending text is written by `flush()`, at the next turn, when it
 * grows past 256 KiB, and at process exit (every `process.exit` path included).
 */
export interface SafeWriter {
  write(text: string): void;
  /** Writes the pending text now (before writing to the stream by other means). */
  flush(): void;
  /** True once the reader closed the stream. */
  readonly closed: boolean;
  /** Called once when the reader closes the stream. */
  onClose(listener: () => void): void;
}

const FLUSH_BYTES = 256 * 1024;

/** One buffer per stream, shared by every writer on it, so their lines keep their order. */
interface Sink {
  out: Writable;
  /** Pending text, already encoded (see encode). */
  chunks: Buffer[];
  size: number;
  scheduled: NodeJS.Immediate | undefined;
  closed: boolean;
  listeners: (() => void)[];
}

const sinks = new Map<Writable, Sink>();
let exitHooked = false;

/** Writes every writer's pending text; also runs on process exit. */
export function flushWriters(): void {
  for (const sink of sinks.values()) flushSink(sink);
}

function flushSink(sink: Sink): void {
  if (sink.scheduled !== undefined) clearImmediate(sink.scheduled);
  sink.scheduled = undefined;
  if (sink.chunks.length === 0) return;
  const data = sink.chunks.length === 1 ? (sink.chunks[0] ?? Buffer.alloc(0)) : Buffer.concat(sink.chunks, sink.size);
  sink.chunks = [];
  sink.size = 0;
  if (sink.closed || sink.out.destroyed) return;
  try {
    sink.out.write(data);
  } catch {
    closeSink(sink);
  }
}

/**
 * Text whose UTF-8 length equals its length is ASCII, and its Latin-1 bytes are the
 * same bytes: copied ~10× faster than encoded as UTF-8 (the common case of log output).
 * Encoding each piece as it comes also spares a join of all the pending text.
 */
function encode(text: string): Buffer {
  const bytes = Buffer.byteLength(text);
  return bytes === text.length ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
}

function closeSink(sink: Sink): void {
  if (sink.closed) return;
  sink.closed = true;
  sink.chunks = [];
  sink.size = 0;
  if (sink.scheduled !== undefined) clearImmediate(sink.scheduled);
  sink.scheduled = undefined;
  sinks.delete(sink.out);
  for (const listener of sink.listeners) listener();
}

function sinkOf(out: Writable): Sink {
  const known = sinks.get(out);
  if (known !== undefined) return known;
  const sink: Sink = { out, chunks: [], size: 0, scheduled: undefined, closed: false, listeners: [] };
  sinks.set(out, sink);
  // EPIPE, a destroyed stream, or any other error on a terminal stream: stop writing
  out.on('error', () => closeSink(sink));
  out.once('close', () => {
    flushSink(sink);
    sinks.delete(out);
  });
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', flushWriters);
  }
  return sink;
}

export function safeWriter(out: Writable): SafeWriter {
  const sink = sinkOf(out);
  return {
    write(text: string): void {
      if (sink.closed || out.destroyed) return;
      const data = encode(text);
      sink.chunks.push(data);
      sink.size += data.length;
      if (sink.size >= FLUSH_BYTES) flushSink(sink);
      else sink.scheduled ??= setImmediate(flushSink, sink);
    },
    flush: () => flushSink(sink),
    get closed() {
      return sink.closed;
    },
    onClose(listener: () => void): void {
      if (sink.closed) listener();
      else sink.listeners.push(listener);
    },
  };
}
