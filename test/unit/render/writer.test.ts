import { PassThrough } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { safeWriter } from '../../../src/render/writer.js';

const writerModule = fileURLToPath(new URL('../../../src/render/writer.ts', import.meta.url));

function counting(): { out: PassThrough; writes: string[] } {
  const out = new PassThrough();
  const writes: string[] = [];
  const write = out.write.bind(out);
  out.write = ((chunk: string | Buffer) => {
    // ASCII text goes out as its bytes (see encode in writer.ts)
    writes.push(chunk.toString());
    return write(chunk);
  }) as typeof out.write;
  return { out, writes };
}

describe('safe writer batching', () => {
  it('writes the lines of one turn in a single write, in order', async () => {
    const { out, writes } = counting();
    const first = safeWriter(out);
    const second = safeWriter(out);
    for (let i = 0; i < 1000; i++) (i % 2 === 0 ? first : second).write(`line ${String(i)}\n`);
    expect(writes).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    expect(writes[0]?.split('\n')[999]).toBe('line 999');
  });

  it('writes ASCII and non-ASCII text byte for byte', () => {
    const { out, writes } = counting();
    const writer = safeWriter(out);
    writer.write('plain ascii\n');
    writer.flush();
    writer.write('é 漢字 🚀\n');
    writer.flush();
    expect(writes).toEqual(['plain ascii\n', 'é 漢字 🚀\n']);
  });

  it('keeps order and bytes across small flushes, full staging and pieces larger than it', async () => {
    const { out } = counting();
    const received: Buffer[] = [];
    out.on('data', (chunk: Buffer) => received.push(chunk));
    const writer = safeWriter(out);
    const expected: string[] = [];
    const put = (text: string): void => {
      writer.write(text);
      expected.push(text);
    };
    // small flushes reuse the staging buffer: what the reader already holds must not change
    for (let i = 0; i < 50; i++) {
      put(`small ${String(i)} é\n`);
      writer.flush();
    }
    for (let i = 0; i < 5000; i++) put(`${String(i).padStart(6, '0')} ${'x'.repeat(92)}\n`); // ~500 KB: staging fills twice
    put(`${'漢'.repeat(100_000)}\n`); // 300 KB in one piece
    put('tail\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(Buffer.concat(received).toString('utf8')).toBe(expected.join(''));
  });

  it('writes pending text at once on flush', () => {
    const { out, writes } = counting();
    const writer = safeWriter(out);
    writer.write('a\n');
    writer.flush();
    expect(writes).toEqual(['a\n']);
  });

  it('writes pending text when the process exits through process.exit', () => {
    const script = `import { safeWriter } from ${JSON.stringify(writerModule)};\nconst out = safeWriter(process.stdout);\nfor (let i = 0; i < 3; i++) out.write('line ' + i + '\\n');\nprocess.exit(3);\n`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(result.stdout).toBe('line 0\nline 1\nline 2\n');
    expect(result.status).toBe(3);
  });

  it('drops pending text once the reader is gone', async () => {
    const { out, writes } = counting();
    const writer = safeWriter(out);
    writer.write('lost\n');
    out.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(0);
    expect(writer.closed).toBe(true);
  });
});
