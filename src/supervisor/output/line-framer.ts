/**
 * Frames one byte stream of a child into lines. Runs for every chunk of every
 * task's output, so the hot path is one decode, one indexOf per line and one slice.
 */
import { StringDecoder } from 'node:string_decoder';
import type { LineSink } from './types.js';
import type { OutputStream } from '../../ready/types.js';

/** Appended to every piece of an overlong line except its last. */
export const CONTINUED_MARKER = ' …[continued]';

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

export interface LineFramerOptions {
  /** Longest line emitted in one piece, in UTF-8 bytes (default 64 KiB). */
  maxLineBytes?: number;
}

export class LineFramer {
  private readonly decoder = new StringDecoder('utf8');
  private readonly maxLineBytes: number;
  private pending = '';

  constructor(
    private readonly stream: OutputStream,
    private readonly sink: LineSink,
    options: LineFramerOptions = {},
  ) {
    this.maxLineBytes = Math.max(4, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  }

  push(chunk: Buffer): void {
    const decoded = this.decoder.write(chunk);
    if (decoded.length === 0) return;
    const text = this.pending.length === 0 ? decoded : this.pending + decoded;
    let start = 0;
    let end = text.indexOf('\n');
    while (end !== -1) {
      this.emit(text, start, end);
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    this.pending = start === 0 ? text : text.slice(start);
    if (this.pending.length > 0) this.holdPartial();
  }

  /** Flushes the last line when the stream ended without a newline. */
  end(): void {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    if (rest.length > 0) this.emit(rest, 0, rest.length);
  }

  private emit(text: string, start: number, end: number): void {
    // strip the CR of a CRLF
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const line = text.slice(start, stop);
    if (this.fits(line)) this.sink.line(line, this.stream);
    else this.emitPieces(line, true);
  }

  /** Cheap check first: a UTF-16 unit is at most 3 UTF-8 bytes, and at least 1. */
  private fits(text: string): boolean {
    if (text.length * 3 <= this.maxLineBytes) return true;
    if (text.length > this.maxLineBytes) return false;
    return Buffer.byteLength(text) <= this.maxLineBytes;
  }

  /**
   * Emits an overlong line in pieces of at most maxLineBytes. When `complete` is
   * false (no newline yet) the last piece is kept pending, as the line goes on.
   */
  private emitPieces(line: string, complete: boolean): string {
    const bytes = Buffer.from(line);
    let offset = 0;
    while (bytes.length - offset > this.maxLineBytes) {
      let cut = offset + this.maxLineBytes;
      // never cut a character: back off over UTF-8 continuation bytes (10xxxxxx)
      while (cut > offset && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut--;
      this.sink.line(bytes.toString('utf8', offset, cut) + CONTINUED_MARKER, this.stream);
      offset = cut;
    }
    const last = bytes.toString('utf8', offset);
    if (complete) this.sink.line(last, this.stream);
    return last;
  }

  private holdPartial(): void {
    if (!this.fits(this.pending)) {
      // emit what overflows now, so a line without newline cannot grow unbounded
      this.pending = this.emitPieces(this.pending, false);
    }
    if (this.sink.partial === undefined) return;
    const text = this.pending;
    const shown = text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
    if (shown.length > 0) this.sink.partial(shown, this.stream);
  }
}
