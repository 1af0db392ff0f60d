import { open } from 'node:fs/promises';

const CHUNK = 64 * 1024;
/** A cap on what one task's history may read, whatever its lines look like. */
const MAX_BYTES = 8 * 1024 * 1024;

/** The last `count` lines of `file`, read backwards in chunks; [] when the file is missing. */
export async function tailFile(file: string, count: number, maxBytes = MAX_BYTES): Promise<string[]> {
  if (count <= 0) return [];
  const handle = await open(file, 'r').catch(() => undefined);
  if (handle === undefined) return [];
  try {
    const stats = await handle.stat();
    // a folder, a FIFO or a device at a log path (`logs.file: '/dev/stdout'`) has no history to read
    if (!stats.isFile()) return [];
    const { size } = stats;
    let position = size;
    let newlines = 0;
    const chunks: Buffer[] = [];
    // count + 1 newlines guarantee `count` complete lines (the file usually ends with one).
    while (position > 0 && newlines <= count && size - position < maxBytes) {
      const length = Math.min(CHUNK, position);
      position -= length;
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, position);
      chunks.unshift(buffer);
      for (let i = 0; i < length; i++) if (buffer[i] === 0x0a) newlines++;
    }
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    // The first line is partial when we stopped before the start of the file.
    if (position > 0) lines.shift();
    return lines.slice(-count).map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  } finally {
    await handle.close();
  }
}

/**
 * The last `count` lines of each stream (stdout's files, then stderr's, each oldest first),
 * so a chatty stream never crowds the other out; one stream's lines, then the next's.
 */
export async function tailStreams(streams: string[][], count: number): Promise<string[]> {
  const tails = await Promise.all(streams.map((files) => tailFiles(files, count)));
  return tails.flat();
}

/** The last `count` lines across one stream's files (oldest first), reading the newest first. */
export async function tailFiles(files: string[], count: number): Promise<string[]> {
  const collected: string[] = [];
  for (let i = files.length - 1; i >= 0 && collected.length < count; i--) {
    const file = files[i];
    if (file === undefined) continue;
    const lines = await tailFile(file, count - collected.length);
    collected.unshift(...lines);
  }
  return collected;
}
