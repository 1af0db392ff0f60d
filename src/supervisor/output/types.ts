/**
 * The output layer's contract: framing a child's byte streams into lines and
 * writing them to the task's log files. Everything that passes through here is
 * on the hot path (every output line of every task): keep per-line work minimal.
 */
import type { Readable } from 'node:stream';
import type { LogSpec } from '../../core/model.js';
import type { OutputSource, OutputStream } from '../../ready/types.js';

export interface LineSink {
  /**
   * Complete lines read together (without their newlines; the CR of a CRLF removed), once
   * as an array and once as `block`, the same lines joined by `\n`, for consumers that take
   * them whole (log files, prefixing) without a per-line loop. `bytes`, when given, is
   * exactly the UTF-8 of `block` followed by `\n`: the bytes as the child wrote them.
   */
  lines(lines: readonly string[], block: string, stream: OutputStream, bytes?: Buffer): void;
  /** The text so far of a line still waiting for its newline. */
  partial?(text: string, stream: OutputStream): void;
}

export interface LogWriter {
  /**
   * Appends `block`: one or more lines joined by `\n`, without the final newline;
   * `bytes`, when given, is its UTF-8 with the final newline (written as is).
   */
  write(block: string, stream: OutputStream, at: number, bytes?: Buffer): void;
  /** While the disk is behind: a promise that resolves when the producer may go on. */
  backlog(): Promise<void> | undefined;
  /**
   * Resolves once every line written before the call is in the files, with a `release`;
   * no later line reaches them until it is called (a reader then sees exactly those lines).
   */
  hold(): Promise<() => void>;
  /** Flushes and closes the files. */
  close(): Promise<void>;
}

export type { LogSpec, OutputSource, Readable };
