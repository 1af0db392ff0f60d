/**
 * Frames one byte stream of a child into lines. Runs for every chunk of every
 * task's output, so the work is per chunk, not per line: the newline byte is found
 * in the raw bytes (0x0A never occurs inside a UTF-8 sequence), the chunk's complete
 * lines are decoded in one go and handed on together, with their bytes, so a log
 * file can take them as they came without encoding them again.
 */
import type { LineSink } from './types.js';
import type { OutputStream } from '../../ready/types.js';

/** Appended to every piece of an overlong line except its last. */
export const CONTINUED_MARKER = ' …[continued]';

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

const LF = 0x0a;
const EMPTY = Buffer.alloc(0);
const NEWLINE = Buffer.from('\n');

export interface LineFramerOptions {
  /** Longest line emitted in one piece, in UTF-8 bytes (default 64 KiB). */
  maxLineBytes?: number;
}

export class LineFramer {
  private readonly maxLineBytes: number;
  /** The bytes of the line still waiting for its newline. */
  private pending: Buffer = EMPTY;

  constructor(
    private readonly stream: OutputStream,
    private readonly sink: LineSink,
    options: LineFramerOptions = {},
  ) {
    this.maxLineBytes = Math.max(4, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const last = chunk.lastIndexOf(LF);
    if (last === -1) {
      this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    } else {
      let from = 0;
      if (this.pending.length > 0) {
        // the line begun in an earlier chunk goes alone: the rest of the chunk is not copied
        from = chunk.indexOf(LF) + 1;
        this.emitComplete(Buffer.concat([this.pending, chunk.subarray(0, from)]));
      }
      // copied: a small rest must not keep the whole chunk alive
      this.pending = last === chunk.length - 1 ? EMPTY : Buffer.from(chunk.subarray(last + 1));
      if (from <= last) this.emitComplete(chunk.subarray(from, last + 1));
    }
    if (this.pending.length > 0) this.holdPartial();
  }

  /** Flushes the last line when the stream ended without a newline. */
  end(): void {
    const rest = this.pending;
    this.pending = EMPTY;
    if (rest.length > 0) this.emitBlock(rest.toString('utf8'), Buffer.concat([rest, NEWLINE]));
  }

  /** `bytes`: one or more whole lines, each ending in LF. */
  private emitComplete(bytes: Buffer): void {
    this.emitBlock(bytes.toString('utf8', 0, bytes.length - 1), bytes);
  }

  /**
   * `block`: complete lines joined by `\n`; `bytes`: the same lines as read, each with its
   * LF, passed on unless carriage returns were taken out of `block`. Bytes that are not
   * UTF-8 reach the log file as they came (a Latin-1 program's log stays readable as
   * Latin-1); only the text shown and sent as events has U+FFFD for them.
   */
  private emitBlock(raw: string, bytes: Buffer | undefined): void {
    const hasCr = raw.includes('\r');
    const block = hasCr ? stripCarriageReturns(raw) : raw;
    const lines = block.split('\n');
    const exact = bytes !== undefined && !hasCr ? bytes : undefined;
    if ((bytes !== undefined && bytes.length <= this.maxLineBytes) || lines.every((line) => this.fits(line))) {
      this.sink.lines(lines, block, this.stream, exact);
      return;
    }
    const cut: string[] = [];
    for (const line of lines) {
      if (this.fits(line)) cut.push(line);
      else {
        const { done, rest } = this.pieces(Buffer.from(line));
        cut.push(...done, rest.toString('utf8'));
      }
    }
    this.sink.lines(cut, cut.join('\n'), this.stream, undefined);
  }

  /** Cheap check first: a UTF-16 unit is at most 3 UTF-8 bytes, and at least 1. */
  private fits(text: string): boolean {
    if (text.length * 3 <= this.maxLineBytes) return true;
    if (text.length > this.maxLineBytes) return false;
    return Buffer.byteLength(text) <= this.maxLineBytes;
  }

  /**
   * Cuts `bytes` into pieces of at most maxLineBytes, each marked as continued, and
   * the rest (at most maxLineBytes) that is left over.
   */
  private pieces(bytes: Buffer): { done: string[]; rest: Buffer } {
    const done: string[] = [];
    let offset = 0;
    while (bytes.length - offset > this.maxLineBytes) {
      let cut = offset + this.maxLineBytes;
      // never cut a character: back off over UTF-8 continuation bytes (10xxxxxx)
      while (cut > offset && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut--;
      done.push(bytes.toString('utf8', offset, cut) + CONTINUED_MARKER);
      offset = cut;
    }
    return { done, rest: bytes.subarray(offset) };
  }

  private holdPartial(): void {
    if (this.pending.length > this.maxLineBytes) {
      // emit what overflows now, so a line without newline cannot grow unbounded
      const { done, rest } = this.pieces(this.pending);
      this.pending = Buffer.from(rest);
      this.sink.lines(done, done.join('\n'), this.stream, undefined);
    }
    if (this.sink.partial === undefined) return;
    const text = this.pending.toString('utf8', 0, wholeCharacters(this.pending));
    const shown = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (shown.length > 0) this.sink.partial(shown, this.stream);
  }
}

/** How many leading bytes of `bytes` end on a character boundary (a cut sequence at the end is left out). */
function wholeCharacters(bytes: Buffer): number {
  const end = bytes.length;
  // look back over at most 3 bytes for the lead byte of the last sequence
  for (let i = end - 1; i >= Math.max(0, end - 4); i--) {
    const byte = bytes[i] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    const size = byte < 0x80 ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return i + size <= end ? end : i;
  }
  return end;
}

/** Removes the CR of every CRLF (the block's last line ends before its LF, so its CR is at the end). */
function stripCarriageReturns(block: string): string {
  const joined = block.replaceAll('\r\n', '\n');
  return joined.endsWith('\r') ? joined.slice(0, -1) : joined;
}
