/**
 * One append-only log file, written in batches (one write per event-loop turn,
 * never one per line) and rotated by size at line boundaries:
 * `x.log` → `x.log.1` → … → `x.log.N`, the oldest deleted. Only a regular file
 * rotates: a device, a FIFO or a symlink at the path is written to as it is.
 * I/O failures (a deleted folder, a full disk) are reported once and the batch
 * is dropped; the writer keeps going and reopens the file on the next batch. A file
 * whose folder was moved away is written on where it went.
 */
import { lstat, open, stat, type FileHandle } from 'node:fs/promises';
import { makeDir } from '../../util/make-dir.js';
import { linkSync, renameSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RotatingFileOptions {
  /** 0 or Infinity: never rotate. */
  maxSizeBytes: number;
  /** How many rotated files to keep. */
  maxFiles: number;
  onError: (error: Error) => void;
}

/**
 * Past this many characters (or bytes) waiting, `backlog()` asks the producer to pause:
 * the child then waits on its pipe, as it would on a slow disk of its own.
 */
const HIGH_WATER_CHARS = 4 * 1024 * 1024;
/** Lines waiting beyond this are dropped: only a producer that ignores `backlog()` gets here. */
const MAX_PENDING_CHARS = 32 * 1024 * 1024;

/** Queued output: lines joined by `\n` without the last newline, or bytes that end in one. */
type Block = string | Buffer;
/** A place in the queue (see `hold()`): called once everything before it is written; writing goes on when it resolves. */
type Mark = () => Promise<void>;
const LF = 0x0a;
/** How often to check that the file still exists (someone may delete it). */
const RECHECK_MS = 1000;

export class RotatingFile {
  private blocks: (Block | Mark)[] = [];
  private pendingChars = 0;
  private handle: FileHandle | undefined;
  private size = 0;
  /** Only a regular file (not a device, a FIFO or a symlink) is rotated. */
  private rotatable = true;
  private checkedAt = 0;
  private draining: Promise<void> | undefined;
  private scheduled = false;
  private closed = false;
  private failing = false;
  /** Producers waiting for the queue to go below HIGH_WATER_CHARS. */
  private waiters: (() => void)[] = [];

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
    this.pendingChars += line.length + 1;
    this.enqueue(line);
  }

  /**
   * Marks the queue now: resolves, once everything queued before the mark is in the file,
   * with a `release`; nothing queued after the mark is written until it is called. A reader
   * holding it sees exactly the lines added before `hold()` (see control/log-tail.ts).
   */
  hold(): Promise<() => void> {
    if (this.closed && this.draining === undefined && this.blocks.length === 0) return Promise.resolve(noop);
    return new Promise((resolve) => {
      this.enqueue(() => new Promise<void>((release) => resolve(release)));
    });
  }

  private enqueue(item: Block | Mark): void {
    this.blocks.push(item);
    if (!this.scheduled && this.draining === undefined) {
      this.scheduled = true;
      setImmediate(this.kick);
    }
  }

  /** While too much is queued: a promise that resolves once the queue has been taken for writing. */
  backlog(): Promise<void> | undefined {
    if (this.pendingChars < HIGH_WATER_CHARS || this.closed) return undefined;
    return new Promise((resolve) => this.waiters.push(resolve));
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
      this.release();
      let blocks: Block[] = [];
      for (const item of batch) {
        if (typeof item !== 'function') {
          blocks.push(item);
          continue;
        }
        await this.writeSafely(blocks);
        blocks = [];
        await item();
      }
      await this.writeSafely(blocks);
    }
  }

  private async writeSafely(blocks: Block[]): Promise<void> {
    if (blocks.length === 0) return;
    try {
      await this.writeBatch(blocks);
      this.failing = false;
    } catch (error) {
      this.report(error);
      await this.dropHandle();
    }
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private async writeBatch(blocks: Block[]): Promise<void> {
    const buffers = blocks.map(toBytes);
    let handle = await this.ensureOpen();
    let limit = this.rotatable ? this.options.maxSizeBytes : Infinity;
    if (!(limit > 0 && Number.isFinite(limit))) {
      await this.writeAll(handle, buffers);
      return;
    }
    // Every buffer ends with a whole line: each goes to the current file whole, or is
    // cut after the last line that still fits, and the rest starts the next file.
    let batch: Buffer[] = [];
    let batchBytes = 0;
    for (let buffer of buffers) {
      while (buffer.length > 0) {
        const room = limit - this.size - batchBytes;
        if (buffer.length <= room) {
          batch.push(buffer);
          batchBytes += buffer.length;
          break;
        }
        let take = room > 0 ? buffer.lastIndexOf(LF, room - 1) + 1 : 0;
        // a line longer than a whole file still goes, alone, into a fresh file
        if (take === 0 && this.size === 0 && batchBytes === 0) take = buffer.indexOf(LF) + 1;
        batch.push(buffer.subarray(0, take));
        batchBytes += take;
        buffer = buffer.subarray(take);
        if (buffer.length === 0) break;
        await this.writeAll(handle, batch);
        [batch, batchBytes] = [[], 0];
        handle = await this.rotate();
        // rotation failed (reported): append the rest rather than loop or lose it
        if (this.size > 0) limit = Infinity;
      }
    }
    await this.writeAll(handle, batch);
  }

  /** One writev: the buffers go to the file without being copied together first. */
  private async writeAll(handle: FileHandle, buffers: Buffer[]): Promise<void> {
    let rest = buffers.filter((buffer) => buffer.length > 0);
    while (rest.length > 0) {
      const { bytesWritten } = await handle.writev(rest);
      if (bytesWritten === 0) throw new Error(`log ${this.path}: nothing written`);
      this.size += bytesWritten;
      rest = skipBytes(rest, bytesWritten);
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
      if (!exists && !(await this.movedAway())) await this.dropHandle();
    }
    if (this.handle !== undefined) return this.handle;
    await makeDir(dirname(this.path));
    const handle = await open(this.path, 'a');
    this.handle = handle;
    this.checkedAt = now;
    this.size = (await handle.stat()).size;
    // `/dev/stdout`, a FIFO, a symlink: written to, never renamed or replaced
    this.rotatable = await lstat(this.path).then(
      (info) => info.isFile(),
      () => false,
    );
    return handle;
  }

  /**
   * Shifts the rotated files up by one and puts a fresh file at `path` without a moment
   * in which `path` is missing: the current file gets its `.1` name as a hard link, and an
   * empty file is renamed over `path`. A reader (`tail -F`, `cat`, `ignite logs`) never
   * meets ENOENT. Where hard links fail, the current file is renamed instead.
   */
  private async rotate(): Promise<FileHandle> {
    const { maxFiles } = this.options;
    const path = this.path;
    const fresh = `${path}.new`;
    // no rotated files beside a file whose folder moved: a new one would make the old path again
    if (this.handle !== undefined && (await this.movedAway())) return this.handle;
    try {
      const handle = await open(fresh, 'w');
      // every move in one synchronous run: a reader never sees the lines twice or not at all
      try {
        if (maxFiles > 0) {
          unlinkIfPresent(`${path}.${String(maxFiles)}`);
          for (let i = maxFiles - 1; i >= 1; i--) renameIfPresent(`${path}.${String(i)}`, `${path}.${String(i + 1)}`);
          keepAs(path, `${path}.1`);
        }
        renameSync(fresh, path);
      } catch (error) {
        await handle.close();
        throw error;
      }
      await this.dropHandle();
      this.handle = handle;
      this.rotatable = true;
      this.checkedAt = Date.now();
      return handle;
    } catch (error) {
      // keep appending to the current file rather than losing lines
      this.report(error);
      await this.dropHandle();
      return this.ensureOpen();
    }
  }

  /**
   * The open file went with its folder (the project folder was moved or renamed while the
   * stack ran): its folder is gone from the path, yet the file still has a name somewhere.
   * It is written on where it is now; making the path again would leave a stray folder at
   * the old place. A deleted file (no name left) or one renamed inside its folder (logrotate)
   * is replaced by a fresh file at the path as before.
   */
  private async movedAway(): Promise<boolean> {
    const folderGone = await stat(dirname(this.path)).then(
      () => false,
      () => true,
    );
    if (!folderGone || this.handle === undefined) return false;
    const links = await this.handle.stat().then(
      (info) => info.nlink,
      () => 0,
    );
    return links > 0;
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

/** `buffers` without their first `count` bytes. */
function skipBytes(buffers: Buffer[], count: number): Buffer[] {
  let skip = count;
  let i = 0;
  while (i < buffers.length && skip >= (buffers[i]?.length ?? 0)) skip -= buffers[i++]?.length ?? 0;
  const rest = buffers.slice(i);
  if (skip > 0 && rest[0] !== undefined) rest[0] = rest[0].subarray(skip);
  return rest;
}

function noop(): void {
  // nothing is held
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

/** Gives `path` the name `to` too (a hard link), or only that name where links are not allowed. */
function keepAs(path: string, to: string): void {
  try {
    linkSync(path, to);
  } catch (error) {
    if (isMissing(error)) return;
    renameSync(path, to);
  }
}

function unlinkIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}
