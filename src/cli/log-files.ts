import type { StackSpec } from '../core/model.js';

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
