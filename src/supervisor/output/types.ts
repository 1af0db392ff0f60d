/**
 * The output layer's contract: framing a child's byte streams into lines and
 * writing them to the task's log files. Everything that passes through here is
 * on the hot path (every output line of every task): keep per-line work minimal.
 */
import type { Readable } from 'node:stream';
import type { LogSpec } from '../../core/model.js';
import type { OutputSource, OutputStream } from '../../ready/types.js';

export interface LineSink {
  /** A complete line (without its newline; CR of CRLF removed). */
  line(text: string, stream: OutputStream): void;
  /** The text so far of a line still waiting for its newline. */
  partial?(text: string, stream: OutputStream): void;
}

export interface LogWriter {
  write(line: string, stream: OutputStream, at: number): void;
  /** Flushes and closes the files. */
  close(): Promise<void>;
}

export type { LogSpec, OutputSource, Readable };
