/**
 * Per attempt: stdout/stderr → LineFramer → the attempt's OutputBuffer (readiness,
 * last lines), the instance's LogWriter, and a `task-output` event. The pipes are
 * read for as long as they are open, so a child never blocks on a full pipe.
 */
import type { Readable } from 'node:stream';
import type { OutputStream } from '../ready/types.js';
import { LineFramer } from './output/line-framer.js';
import type { OutputBuffer } from './output/output-buffer.js';
import type { LineSink } from './output/types.js';

/** Complete lines read together, as an array and joined by `\n` (see LineSink). */
export type LinesHandler = (lines: readonly string[], block: string, stream: OutputStream, at: number, bytes: Buffer | undefined) => void;

export interface WiredOutput {
  /** Ends framing now (flushing partial lines) and stops reading; for pipes an escaped process keeps open. */
  finish(): void;
}

export function wireOutput(
  streams: { stdout: Readable; stderr: Readable },
  buffer: OutputBuffer,
  onLines: LinesHandler,
): WiredOutput {
  const sink: LineSink = {
    lines(lines, block, stream, bytes) {
      buffer.lines(lines, block, stream);
      onLines(lines, block, stream, Date.now(), bytes);
    },
    partial(text, stream) {
      buffer.partial(text, stream);
    },
  };
  const ends = [pipe(streams.stdout, new LineFramer('stdout', sink)), pipe(streams.stderr, new LineFramer('stderr', sink))];
  return {
    finish() {
      for (const end of ends) end();
    },
  };
}

function pipe(stream: Readable, framer: LineFramer): () => void {
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    stream.removeListener('data', onData);
    framer.end();
  };
  const onData = (chunk: Buffer): void => framer.push(chunk);
  stream.on('data', onData);
  stream.once('end', end);
  stream.once('close', end);
  stream.once('error', end);
  return () => {
    end();
    stream.destroy();
  };
}
