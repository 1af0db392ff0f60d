import { tailStreams } from './log-tail.js';
import type { LogLine } from './types.js';

export interface HistorySource {
  logFiles: (task: string) => string[][];
  holdLogs?: (task: string) => Promise<() => void>;
}

/**
 * The last `count` lines of each stream of each task (a task's name: replicas share its files).
 * The seam with live events is exact: the supervisor writes a line to the log writer and emits
 * its `task-output` event in the same turn, and every writer is held here, before anything is
 * awaited, at the lines written so far. A subscription made in the same turn as this call
 * therefore starts with the first line the history does not hold: no line twice, none missing.
 */
export function readHistory(source: HistorySource, tasks: readonly string[], count: number): Promise<LogLine[]> {
  const reads = tasks.map(async (task) => {
    const release = await (source.holdLogs?.(task) ?? noHold);
    try {
      const lines = await tailStreams(source.logFiles(task), count);
      return lines.map((line) => ({ task, line }));
    } finally {
      release();
    }
  });
  return Promise.all(reads).then((perTask) => perTask.flat());
}

const noHold = Promise.resolve(() => undefined);
