/**
 * One append-only log file, written in batches (one write per event-loop turn,
 * never one per line) and rotated by size at line boundaries:
 * `x.log` → `x.log.1` → … → `x.log.N`, the oldest deleted.
 * I/O failures (a deleted folder, a full disk) are reported once and the batch
 * is dropped; the writer keeps going and reopens the file on the next batch.
 */
import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import { renameSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RotatingFileOptions {
  /** 0 or Infinity: never rotate. */
  maxSizeBytes: number;
  /** How many rotated files to keep. */
  maxFiles: number;
  onError: (error: Error) => void;
}

/** Lines waiting beyond this many characters (or bytes) are dropped (the disk is not keeping up). */
const MAX_PENDING_CHARS = 32 * 1024 * 1024;

/** Queued output: lines joined by `\n` without the last newline, or bytes that end in one. */
type Block = string | Buffer;
/** How often to check that the file still exists (someone may delete it). */
const RECHECK_MS = 1000;

export class RotatingFile {
  private blocks: Block[] = [];
  private pendingChars = 0;
  private handle: FileHandle | undefined;
  private size = 0;
  private checkedAt = 0;
  private draining: Promise<void> | undefined;
  private scheduled = false;
  private closed = false;
  private failing = false;

  constructor(
    readonly path: string,
    private readonly options: RotatingFileOptions,
  ) {}

  /** Queues one or more lines: joined by `\n` without the final newline, or as bytes ending in one. */
  add(line: Block): void {
    if (this.closed) return;
    if (this.pendingChars > MAX_PENDING_CHARS) {
      this.report(new Error(`log ${this.path}: the disk is not keeping up, dropping lines`));
      return;
    }
    this.blocks.push(line);
    this.pendingChars += line.length + 1;
    if (!this.scheduled && this.draining === undefined) {
      this.scheduled = true;
      setImmediate(this.kick);
    }
  }

  /** Writes everything queued, then closes the file. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.draining !== undefined || this.blocks.length > 0) {
      if (this.draining === undefined) this.kick();
      await this.draining;
    }
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch((error: unknown) => {
      this.report(error);
    });
  }

  private readonly kick = (): void => {
    this.scheduled = false;
    if (this.draining !== undefined) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.blocks.length > 0 && !this.scheduled) {
        this.scheduled = true;
        setImmediate(this.kick);
      }
    });
  };

  private async drain(): Promise<void> {
    while (this.blocks.length > 0) {
      const batch = this.blocks;
      this.blocks = [];
      this.pendingChars = 0;
      try {
        await this.writeBatch(batch);
        this.failing = false;
      } catch (error) {
        this.report(error);
        await this.dropHandle();
      }
    }
  }

  private async writeBatch(blocks: Block[]): Promise<void> {
    let handle = await this.ensureOpen();
    const { maxSizeBytes } = this.options;
    const buffers = blocks.map(toBytes);
    let total = 0;
    for (const buffer of buffers) total += buffer.length;
    if (!(maxSizeBytes > 0 && Number.isFinite(maxSizeBytes)) || this.size + total <= maxSizeBytes) {
      // one writev: the blocks go to the file without being copied together first
      const { bytesWritten } = await handle.writev(buffers);
      this.size += bytesWritten;
      if (bytesWritten < total) await this.writeAll(handle, Buffer.concat(buffers).subarray(bytesWritten));
      return;
    }
    // Slow path (about once per rotation): split the batch at a line boundary.
    const data = Buffer.concat(buffers);
    const batch = data.toString('utf8', 0, data.length - 1).split('\n');
    let from = 0;
    while (from < batch.length) {
      const room = maxSizeBytes - this.size;
      let bytes = 0;
      let to = from;
      while (to < batch.length) {
        const length = Buffer.byteLength(batch[to] ?? '') + 1;
        // a line longer than a whole file still goes, alone, into a fresh file
        if (bytes + length > room && !(to === from && this.size === 0)) break;
        bytes += length;
        to++;
      }
      if (to > from) await this.writeAll(handle, Buffer.from(batch.slice(from, to).join('\n') + '\n'));
      from = to;
      if (from === batch.length) break;
      handle = await this.rotate();
      if (this.size > 0) {
        // rotation failed (reported): append the rest rather than loop or lose it
        await this.writeAll(handle, Buffer.from(batch.slice(from).join('\n') + '\n'));
        return;
      }
    }
  }

  private async writeAll(handle: FileHandle, data: Buffer): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await handle.write(data, offset, data.length - offset);
      offset += bytesWritten;
      this.size += bytesWritten;
    }
  }

  private async ensureOpen(): Promise<FileHandle> {
    const now = Date.now();
    if (this.handle !== undefined && now - this.checkedAt > RECHECK_MS) {
      this.checkedAt = now;
      const exists = await stat(this.path).then(
        () => true,
        () => false,
      );
      if (!exists) await this.dropHandle();
    }
    if (this.handle !== undefined) return this.handle;
    await mkdir(dirname(this.path), { recursive: true });
    const handle = await open(this.path, 'a');
    this.handle = handle;
    this.checkedAt = now;
    this.size = (await handle.stat()).size;
    return handle;
  }

  private async rotate(): Promise<FileHandle> {
    await this.dropHandle();
    const { maxFiles } = this.options;
    const path = this.path;
    try {
      if (maxFiles <= 0) {
        unlinkIfPresent(path);
      } else {
        unlinkIfPresent(`${path}.${String(maxFiles)}`);
        for (let i = maxFiles - 1; i >= 1; i--) renameIfPresent(`${path}.${String(i)}`, `${path}.${String(i + 1)}`);
        renameIfPresent(path, `${path}.1`);
      }
    } catch (error) {
      // keep appending to the current file rather than losing lines
      this.report(error);
    }
    return this.ensureOpen();
  }

  private async dropHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    this.size = 0;
    await handle?.close().catch(() => undefined);
  }

  /** Reports the first failure of a run of failures; a successful write re-arms it. */
  private report(error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.options.onError(error instanceof Error ? error : new Error(String(error)));
  }
}

function toBytes(block: Block): Buffer {
  return typeof block === 'string' ? Buffer.from(`${block}\n`) : block;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function renameIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

function unlinkIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}
