/**
 * Per attempt: stdout/stderr → LineFramer → the attempt's OutputBuffer (readiness,
 * last lines), the instance's LogWriter, and a `task-output` event. The pipes are
 * read for as long as they are open, so a child never blocks on a full pipe, except
 * while its log files are megabytes behind the disk: then reading waits for them.
 */
import type { Readable } from 'node:stream';
import type { OutputStream } from '../ready/types.js';
import { LineFramer } from './output/line-framer.js';
import type { OutputBuffer } from './output/output-buffer.js';
import type { LineSink } from './output/types.js';

/** While the task's log files are behind: resolves when reading may go on (see LogWriter). */
export type Backlog = () => Promise<void> | undefined;

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
  backlog: Backlog,
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
  const ends = [pipe(streams.stdout, new LineFramer('stdout', sink), backlog), pipe(streams.stderr, new LineFramer('stderr', sink), backlog)];
  return {
    finish() {
      for (const end of ends) end();
    },
  };
}

/**
 * Reads `stream` into `framer`, pausing while the log files are behind (the child then
 * waits, nothing is dropped). When the child exits, Node resumes its stdio, so what is
 * left in a paused pipe is still read before `finish()` (wire-output.test.ts holds it to that).
 */
function pipe(stream: Readable, framer: LineFramer, backlog: Backlog): () => void {
  let ended = false;
  let paused = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    stream.removeListener('data', onData);
    framer.end();
  };
  const onData = (chunk: Buffer): void => {
    framer.push(chunk);
    const wait = paused ? undefined : backlog();
    if (wait === undefined) return;
    paused = true;
    stream.pause();
    void wait.then(() => {
      paused = false;
      if (!ended) stream.resume();
    });
  };
  stream.on('data', onData);
  stream.once('end', end);
  stream.once('close', end);
  stream.once('error', end);
  return () => {
    end();
    stream.destroy();
  };
}
