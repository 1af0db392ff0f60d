import type { Writable } from 'node:stream';

/**
 * Writes to an injected stream, and goes quiet instead of crashing when the reader
 * went away (`ignite logs -f | head -1`): EPIPE and later writes are swallowed.
 *
 * Text is collected and written once per turn of the event loop: process.stdout on a
 * file or pipe is one blocking write(2) per call, which cost more than half of a
 * 500k-line run. Pending text is written by `flush()`, at the next turn, when the
 * next piece would not fit in 256 KiB, and at process exit (every `process.exit` path
 * included).
 *
 * Pieces are encoded straight into one staging buffer: one copy of the text, no
 * buffer per piece and no join (together ~20% of a 500k-line run). A large flush
 * hands the staging buffer itself to the stream; a small one hands over a copy and
 * keeps the staging buffer, so a quiet writer does not allocate 256 KiB per line.
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

const STAGING_BYTES = 256 * 1024;
/** A flush at most this big is copied out and the staging buffer kept. */
const COPY_OUT_BYTES = 16 * 1024;

/** One buffer per stream, shared by every writer on it, so their lines keep their order. */
interface Sink {
  out: Writable;
  /** Pending text, encoded (see encodingOf), in its first `size` bytes. */
  staging: Buffer | undefined;
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
  if (sink.staging === undefined || sink.size === 0) return;
  let data: Buffer;
  if (sink.size <= COPY_OUT_BYTES) data = Buffer.from(sink.staging.subarray(0, sink.size));
  else {
    data = sink.staging.subarray(0, sink.size);
    sink.staging = undefined;
  }
  sink.size = 0;
  send(sink, data);
}

function send(sink: Sink, data: Buffer): void {
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
 */
const encodingOf = (text: string, bytes: number): BufferEncoding => (bytes === text.length ? 'latin1' : 'utf8');

function append(sink: Sink, text: string): void {
  const bytes = Buffer.byteLength(text);
  const encoding = encodingOf(text, bytes);
  if (sink.size + bytes > STAGING_BYTES) flushSink(sink);
  if (bytes > STAGING_BYTES) {
    send(sink, Buffer.from(text, encoding));
    return;
  }
  sink.staging ??= Buffer.allocUnsafeSlow(STAGING_BYTES);
  sink.size += sink.staging.write(text, sink.size, encoding);
  sink.scheduled ??= setImmediate(flushSink, sink);
}

function closeSink(sink: Sink): void {
  if (sink.closed) return;
  sink.closed = true;
  sink.staging = undefined;
  sink.size = 0;
  if (sink.scheduled !== undefined) clearImmediate(sink.scheduled);
  sink.scheduled = undefined;
  sinks.delete(sink.out);
  for (const listener of sink.listeners) listener();
}

function sinkOf(out: Writable): Sink {
  const known = sinks.get(out);
  if (known !== undefined) return known;
  const sink: Sink = { out, staging: undefined, size: 0, scheduled: undefined, closed: false, listeners: [] };
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
      append(sink, text);
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
