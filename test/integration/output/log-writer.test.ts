import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineFramer } from '../../../src/supervisor/output/line-framer.js';
import { createLogWriter } from '../../../src/supervisor/output/log-writer.js';
import type { LogSpec, LogWriter } from '../../../src/supervisor/output/types.js';

const PRINT_LINES = fileURLToPath(new URL('../../fixtures/scripts/print-lines.mjs', import.meta.url));
const TEXT = 'ligne é 漢字 🚀';

let dir: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ignite-logs-'));
});

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
});

function spec(overrides: Partial<LogSpec> = {}): LogSpec {
  return {
    file: join(dir, 'logs', 'task.log'),
    errFile: undefined,
    maxSizeBytes: 10 * 1024 * 1024,
    maxFiles: 5,
    mixed: true,
    timestamps: false,
    ...overrides,
  };
}

/** Runs print-lines.mjs through real pipes, framers and the writer; resolves when all is on disk. */
async function pipeChild(writer: LogWriter, args: string[]): Promise<void> {
  const child = spawn(process.execPath, [PRINT_LINES, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const sink = { lines: (_lines: readonly string[], block: string, stream: 'stdout' | 'stderr') => writer.write(block, stream, Date.now()) };
  const out = new LineFramer('stdout', sink);
  const err = new LineFramer('stderr', sink);
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  out.end();
  err.end();
  expect(code).toBe(0);
  await writer.close();
}

function readLines(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

/** The rotated files oldest first, then the current one. */
function logSet(file: string): string[] {
  const base = file.split('/').at(-1) ?? '';
  const rotated = readdirSync(join(file, '..'))
    .filter((name) => name.startsWith(`${base}.`))
    .map((name) => Number(name.slice(base.length + 1)))
    .sort((a, b) => b - a);
  return [...rotated.map((n) => `${file}.${n}`), file];
}

function expectSequence(lines: string[], text: string, first: number, last: number): void {
  expect(lines).toHaveLength(last - first + 1);
  lines.forEach((line, i) => {
    if (line !== `${text} ${first + i}`) expect(line).toBe(`${text} ${first + i}`);
  });
}

async function until(check: () => boolean, what: string, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('log writer', () => {
  it('writes 100,000 multi-byte lines from a real child intact and in order, creating the folder', async () => {
    const logs = spec();
    await pipeChild(createLogWriter(logs), ['100000']);
    expectSequence(readLines(logs.file), TEXT, 1, 100_000);
  });

  it('rotates under load without losing, repeating or splitting a line', async () => {
    const logs = spec({ maxSizeBytes: 64 * 1024, maxFiles: 60 });
    const errors: Error[] = [];
    await pipeChild(createLogWriter(logs, (e) => errors.push(e)), ['100000']);
    const files = logSet(logs.file);
    expect(files.length).toBeGreaterThan(30);
    for (const file of files) expect(statSync(file).size).toBeLessThanOrEqual(64 * 1024);
    expectSequence(files.flatMap(readLines), TEXT, 1, 100_000);
    expect(errors).toEqual([]);
  });

  it('never leaves the log path missing while it rotates', async () => {
    const logs = spec({ maxSizeBytes: 16 * 1024, maxFiles: 3 });
    const writer = createLogWriter(logs);
    writer.write('first', 'stdout', 0);
    await until(() => existsSync(logs.file), 'the log file');
    // a reader looks on every turn of the event loop, between the writer's own steps
    let looks = 0;
    let missing = 0;
    let done = false;
    const look = (): void => {
      looks++;
      if (!existsSync(logs.file)) missing++;
      if (!done) setImmediate(look);
    };
    look();
    await pipeChild(writer, ['20000']);
    done = true;
    expect(logSet(logs.file)).toHaveLength(4);
    expect(looks).toBeGreaterThan(100);
    expect(missing).toBe(0);
  });

  it('writes to a device, a FIFO or a symlink at the log path without rotating or replacing it', async () => {
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    symlinkSync('/dev/null', join(logs, 'null.log'));
    const fifo = join(logs, 'fifo.log');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const copy = join(dir, 'copy');
    const reader = spawn('sh', ['-c', `exec cat ${fifo} > ${copy}`], { stdio: 'ignore' });
    children.push(reader);
    const readerDone = new Promise((resolve) => reader.once('exit', resolve));
    for (const file of [join(logs, 'null.log'), fifo]) {
      const writer = createLogWriter(spec({ file, maxSizeBytes: 1024, maxFiles: 3 }));
      for (let i = 1; i <= 2000; i++) writer.write(`${TEXT} ${i}`, 'stdout', 0);
      await writer.close();
    }
    await readerDone;
    expect(readlinkSync(join(logs, 'null.log'))).toBe('/dev/null');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(logs).sort()).toEqual(['fifo.log', 'null.log']);
    expectSequence(readLines(copy), TEXT, 1, 2000);
  });

  it('keeps only maxFiles rotated files, dropping the oldest', async () => {
    const logs = spec({ maxSizeBytes: 16 * 1024, maxFiles: 2 });
    await pipeChild(createLogWriter(logs), ['20000']);
    const files = logSet(logs.file);
    expect(files).toEqual([`${logs.file}.2`, `${logs.file}.1`, logs.file]);
    const lines = files.flatMap(readLines);
    const first = Number(lines[0]?.split(' ').at(-1));
    expect(first).toBeGreaterThan(1);
    expectSequence(lines, TEXT, first, 20_000);
  });

  it('cuts a batch at a line boundary, and gives a line longer than a whole file a file of its own', async () => {
    const logs = spec({ maxSizeBytes: 100, maxFiles: 10 });
    const writer = createLogWriter(logs);
    const [a, b, c] = ['a'.repeat(39), 'b'.repeat(249), 'c'.repeat(39)];
    // one batch: bytes as read (two lines), a string block, then bytes again
    writer.write(`${a}\n${a}`, 'stdout', 0, Buffer.from(`${a}\n${a}\n`));
    writer.write(`${a}\n${b}`, 'stdout', 0);
    writer.write(`${c}\n${c}\n${c}`, 'stdout', 0, Buffer.from(`${c}\n${c}\n${c}\n`));
    await writer.close();
    expect(logSet(logs.file).map((file) => readFileSync(file, 'utf8'))).toEqual([
      `${a}\n${a}\n`,
      `${a}\n`,
      `${b}\n`,
      `${c}\n${c}\n`,
      `${c}\n`,
    ]);
  });

  it('holds both files at exactly the lines written before hold(), until released', async () => {
    const logs = spec({ mixed: false, errFile: join(dir, 'logs', 'task.err.log') });
    const writer = createLogWriter(logs);
    writer.write('out 1\nout 2', 'stdout', 0);
    writer.write('err 1', 'stderr', 0);
    const held = writer.hold();
    writer.write('out 3', 'stdout', 0);
    writer.write('err 2', 'stderr', 0);
    const release = await held;
    expect([readFileSync(logs.file, 'utf8'), readFileSync(join(dir, 'logs', 'task.err.log'), 'utf8')]).toEqual(['out 1\nout 2\n', 'err 1\n']);
    release();
    await writer.close();
    expect([readFileSync(logs.file, 'utf8'), readFileSync(join(dir, 'logs', 'task.err.log'), 'utf8')]).toEqual(['out 1\nout 2\nout 3\n', 'err 1\nerr 2\n']);
  });

  it('writes stdout and stderr to separate files when not mixed', async () => {
    const logs = spec({ mixed: false, file: join(dir, 'task.out.log'), errFile: join(dir, 'task.err.log') });
    await pipeChild(createLogWriter(logs), ['3000', 'both']);
    expectSequence(readLines(logs.file), TEXT, 1, 3000);
    expectSequence(readLines(join(dir, 'task.err.log')), `${TEXT} err`, 1, 3000);
  });

  it('writes both streams, each in order, to one file when mixed', async () => {
    const logs = spec();
    await pipeChild(createLogWriter(logs), ['3000', 'both']);
    const lines = readLines(logs.file);
    expectSequence(lines.filter((line) => line.includes(' err ')), `${TEXT} err`, 1, 3000);
    expectSequence(lines.filter((line) => !line.includes(' err ')), TEXT, 1, 3000);
  });

  it('prefixes each line with the ISO time it was read', async () => {
    const logs = spec({ timestamps: true });
    const writer = createLogWriter(logs);
    const at = Date.UTC(2024, 4, 1, 12, 30, 15, 250);
    writer.write('first', 'stdout', at);
    writer.write('second', 'stderr', at + 1000);
    await writer.close();
    expect(readLines(logs.file)).toEqual(['2024-05-01T12:30:15.250Z first', '2024-05-01T12:30:16.250Z second']);
  });

  it('appends to an existing log file', async () => {
    const logs = spec();
    const first = createLogWriter(logs);
    first.write('before', 'stdout', Date.now());
    await first.close();
    const second = createLogWriter(logs);
    second.write('after', 'stdout', Date.now());
    await second.close();
    expect(readLines(logs.file)).toEqual(['before', 'after']);
  });

  it('keeps writing, into a new file, after its log folder is deleted', async () => {
    const logs = spec();
    const errors: Error[] = [];
    const writer = createLogWriter(logs, (e) => errors.push(e));
    writer.write('old', 'stdout', Date.now());
    await until(() => existsSync(logs.file) && readFileSync(logs.file, 'utf8') === 'old\n', 'the first line');
    unlinkSync(logs.file);
    rmSync(join(dir, 'logs'), { recursive: true });
    let n = 0;
    await until(() => {
      writer.write(`new ${n++}`, 'stdout', Date.now());
      return existsSync(logs.file);
    }, 'the log file to come back');
    writer.write('last', 'stdout', Date.now());
    await writer.close();
    const lines = readLines(logs.file);
    expect(lines.at(-1)).toBe('last');
    expect(lines.every((line) => line.startsWith('new ') || line === 'last')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('reports a full disk once and keeps accepting lines', async () => {
    const errors: Error[] = [];
    const writer = createLogWriter(spec({ file: '/dev/full', maxSizeBytes: 0 }), (e) => errors.push(e));
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 100; i++) writer.write(`line ${i}`, 'stdout', Date.now());
      await new Promise((resolve) => setImmediate(resolve));
    }
    await writer.close();
    expect(errors).toHaveLength(1);
    expect((errors[0] as NodeJS.ErrnoException).code).toBe('ENOSPC');
  });
});
