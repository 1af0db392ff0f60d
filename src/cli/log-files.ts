import { open } from 'node:fs/promises';
import type { StackSpec } from '../core/model.js';
import { errorMessage } from '../util/error-message.js';

/**
 * An instance's log files per stream: stdout's (or both streams', when mixed), then stderr's
 * when apart; each oldest first, the rotated ones (`x.log.N` … `x.log.1`), then `x.log`.
 * Replicas share their task's.
 */
export function logFilesOf(stack: StackSpec, instance: string): string[][] {
  const base = instance.split(':')[0] ?? instance;
  const task = stack.tasks.find((t) => t.name === base);
  if (task === undefined) return [];
  const withRotated = (file: string): string[] => [
    ...Array.from({ length: task.logs.maxFiles }, (_, i) => `${file}.${task.logs.maxFiles - i}`),
    file,
  ];
  return [withRotated(task.logs.file), ...(task.logs.errFile === undefined ? [] : [withRotated(task.logs.errFile)])];
}

/**
 * The files that can be read as logs, and why each other one cannot: a folder, or a
 * file ignite may not open. A missing file stays: it simply has no lines.
 */
export async function readableLogFiles(streams: readonly string[][]): Promise<{ streams: string[][]; skipped: { file: string; why: string }[] }> {
  const skipped: { file: string; why: string }[] = [];
  const kept = await Promise.all(
    streams.map(async (files) => {
      const why = await Promise.all(files.map(unreadable));
      files.forEach((file, i) => {
        const reason = why[i];
        if (reason !== undefined) skipped.push({ file, why: reason });
      });
      return files.filter((_, i) => why[i] === undefined);
    }),
  );
  return { streams: kept, skipped };
}

async function unreadable(file: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : errorMessage(error);
  }
  try {
    return (await handle.stat()).isDirectory() ? 'a folder, not a log file' : undefined;
  } catch (error) {
    return errorMessage(error);
  } finally {
    await handle.close();
  }
}
