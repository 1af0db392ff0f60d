import { describe, it, expect } from 'vitest';
import { CONTINUED_MARKER, LineFramer } from '../../../src/supervisor/output/line-framer.js';
import type { LineSink } from '../../../src/supervisor/output/types.js';
import type { OutputStream } from '../../../src/ready/types.js';

interface Recorded {
  lines: string[];
  /** The bytes passed on for the log file, per call. */
  bytes: (Buffer | undefined)[];
  partials: string[];
  streams: OutputStream[];
}

function recorder(withPartial = false): { sink: LineSink; got: Recorded } {
  const got: Recorded = { lines: [], bytes: [], partials: [], streams: [] };
  const sink: LineSink = {
    lines(lines, block, stream, bytes) {
      got.bytes.push(bytes);
      expect(block).toBe(lines.join('\n'));
      got.lines.push(...lines);
      got.streams.push(...lines.map(() => stream));
    },
  };
  if (withPartial) sink.partial = (text) => got.partials.push(text);
  return { sink, got };
}

/** Feeds `bytes` cut at every given offset. */
function feed(framer: LineFramer, bytes: Buffer, cuts: number[]): void {
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    framer.push(bytes.subarray(from, cut));
    from = cut;
  }
}

describe('LineFramer', () => {
  it('emits each complete line once, without its newline, tagged with its stream', () => {
    const { sink, got } = recorder();
    const framer = new LineFramer('stderr', sink);
    framer.push(Buffer.from('one\ntwo\n\nthree\n'));
    expect(got.lines).toEqual(['one', 'two', '', 'three']);
    expect(new Set(got.streams)).toEqual(new Set(['stderr']));
  });

  it('joins a line split across chunks', () => {
    const { sink, got } = recorder();
    const framer = new LineFramer('stdout', sink);
    feed(framer, Buffer.from('hello world\nsecond line\n'), [3, 5, 12, 13]);
    expect(got.lines).toEqual(['hello world', 'second line']);
  });

  it('keeps a multi-byte character whole when a chunk ends inside it, at every possible cut', () => {
    const text = 'é 漢字 🚀 end\n';
    const bytes = Buffer.from(text);
    for (let a = 1; a < bytes.length; a++) {
      for (let b = a; b < bytes.length; b++) {
        const { sink, got } = recorder();
        feed(new LineFramer('stdout', sink), bytes, [a, b]);
        expect(got.lines).toEqual(['é 漢字 🚀 end']);
      }
    }
  });

  it('strips the carriage return of CRLF, even when CR and LF arrive apart', () => {
    const { sink, got } = recorder();
    const framer = new LineFramer('stdout', sink);
    framer.push(Buffer.from('dos\r\nsplit\r'));
    framer.push(Buffer.from('\nkeeps\rinner\r\n'));
    expect(got.lines).toEqual(['dos', 'split', 'keeps\rinner']);
  });

  it('flushes a final line without newline at end', () => {
    const { sink, got } = recorder();
    const framer = new LineFramer('stdout', sink);
    framer.push(Buffer.from('a\nlast'));
    expect(got.lines).toEqual(['a']);
    framer.end();
    expect(got.lines).toEqual(['a', 'last']);
  });

  it('emits nothing at end when the output ended with a newline', () => {
    const { sink, got } = recorder();
    const framer = new LineFramer('stdout', sink);
    framer.push(Buffer.from('a\n'));
    framer.end();
    expect(got.lines).toEqual(['a']);
  });

  it('turns a truncated character at end into a replacement character', () => {
    const { sink, got } = recorder();
    const framer = new LineFramer('stdout', sink);
    framer.push(Buffer.from('x🚀').subarray(0, 3));
    framer.end();
    expect(got.lines).toEqual(['x\uFFFD']);
  });

  it('passes bytes that are not UTF-8 on to the log as they came, the text with replacement characters', () => {
    const { sink, got } = recorder();
    const framer = new LineFramer('stdout', sink);
    const latin1 = Buffer.from('caf\xe9\nna\xefve', 'latin1');
    framer.push(latin1);
    framer.end();
    expect(got.lines).toEqual(['caf\uFFFD', 'na\uFFFDve']);
    expect(Buffer.concat(got.bytes.map((b) => b ?? Buffer.alloc(0)))).toEqual(Buffer.concat([latin1, Buffer.from('\n')]));
  });

  it('splits an overlong line into marked pieces of at most maxLineBytes', () => {
    const { sink, got } = recorder();
    const framer = new LineFramer('stdout', sink, { maxLineBytes: 10 });
    framer.push(Buffer.from(`${'a'.repeat(25)}\nshort\n`));
    expect(got.lines).toEqual([
      `aaaaaaaaaa${CONTINUED_MARKER}`,
      `aaaaaaaaaa${CONTINUED_MARKER}`,
      'aaaaa',
      'short',
    ]);
  });

  it('never cuts a multi-byte character when splitting an overlong line', () => {
    const { sink, got } = recorder();
    const framer = new LineFramer('stdout', sink, { maxLineBytes: 8 });
    const line = '漢字漢字漢字🚀🚀é';
    framer.push(Buffer.from(`${line}\n`));
    const pieces = got.lines.map((piece) => piece.replace(CONTINUED_MARKER, ''));
    expect(pieces.join('')).toBe(line);
    for (const piece of pieces) expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(8);
    expect(got.lines.slice(0, -1).every((piece) => piece.endsWith(CONTINUED_MARKER))).toBe(true);
    expect(got.lines.at(-1)?.endsWith(CONTINUED_MARKER)).toBe(false);
  });

  it('emits an overlong line without newline as it grows instead of holding it', () => {
    const { sink, got } = recorder();
    const framer = new LineFramer('stdout', sink, { maxLineBytes: 10 });
    for (let i = 0; i < 5; i++) framer.push(Buffer.from('abcdefg'));
    expect(got.lines.length).toBe(3);
    framer.push(Buffer.from('\n'));
    framer.end();
    expect(got.lines.map((piece) => piece.replace(CONTINUED_MARKER, '')).join('')).toBe('abcdefg'.repeat(5));
  });

  it('reports the text so far of a line still waiting for its newline', () => {
    const { sink, got } = recorder(true);
    const framer = new LineFramer('stdout', sink);
    framer.push(Buffer.from('done\nPassword: '));
    expect(got.partials).toEqual(['Password: ']);
    framer.push(Buffer.from('more'));
    expect(got.partials).toEqual(['Password: ', 'Password: more']);
    framer.push(Buffer.from('\n'));
    expect(got.lines).toEqual(['done', 'Password: more']);
    expect(got.partials).toHaveLength(2);
  });

  it('reports no partial while only part of a character has arrived', () => {
    const { sink, got } = recorder(true);
    const framer = new LineFramer('stdout', sink);
    framer.push(Buffer.from('🚀').subarray(0, 2));
    expect(got.partials).toEqual([]);
    framer.push(Buffer.from('🚀').subarray(2));
    expect(got.partials).toEqual(['🚀']);
  });

  it('frames 500,000 lines of 100 bytes cut at odd offsets into whole lines, in batches', () => {
    let count = 0;
    let bytes = 0;
    let batches = 0;
    const framer = new LineFramer('stdout', {
      lines(lines) {
        batches++;
        count += lines.length;
        for (const line of lines) bytes += line.length;
      },
    });
    const total = 500_000;
    const all = Buffer.from(`${'x'.repeat(99)}\n`.repeat(total));
    for (let offset = 0; offset < all.length; offset += 65_521) framer.push(all.subarray(offset, offset + 65_521));
    framer.end();
    expect(count).toBe(total);
    expect(bytes).toBe(total * 99);
    // at most two batches a chunk: the line begun in the chunk before, then the rest
    expect(batches).toBeLessThanOrEqual(2 * Math.ceil(all.length / 65_521));
  });
});
