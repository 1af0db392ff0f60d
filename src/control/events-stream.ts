import type { ServerResponse } from 'node:http';
import type { ControlApi } from '../core/model.js';
import type { SupervisorEvent } from '../core/events.js';
import type { HistoryRecord, LogLine } from './types.js';

/** A consumer that stops reading is dropped before its backlog costs the daemon memory. */
const MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

export interface StreamFilter {
  /** Task events of these instances only (stack events always pass); undefined: all. */
  tasks: ReadonlySet<string> | undefined;
  /** `task-output` events too; a client that follows states only (`up -d`) leaves them out, and its backlog stays small. */
  output: boolean;
}

/**
 * Streams events as NDJSON until the client goes away or `close()` ends it.
 * With `history`, its lines go first as one `history` record; events that come
 * while it is read wait (within the same bound) and follow it.
 */
export function streamEvents(
  api: ControlApi,
  res: ServerResponse,
  { tasks, output }: StreamFilter,
  streams: Set<ServerResponse>,
  history?: Promise<LogLine[]>,
): void {
  res.writeHead(200, {
    'content-type': 'application/x-ndjson; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.flushHeaders();
  let waiting: string[] | undefined = history === undefined ? undefined : [];
  let waitingBytes = 0;
  const listener = (event: SupervisorEvent): void => {
    if (!output && event.type === 'task-output') return;
    if (tasks !== undefined && 'task' in event && !tasks.has(event.task)) return;
    const text = `${JSON.stringify(event)}\n`;
    if (waiting !== undefined) {
      waitingBytes += text.length;
      if (waitingBytes > MAX_BACKLOG_BYTES) res.destroy();
      else waiting.push(text);
      return;
    }
    if (res.writableLength > MAX_BACKLOG_BYTES) {
      res.destroy();
      return;
    }
    res.write(text);
  };
  const unsubscribe = api.subscribe(listener);
  streams.add(res);
  res.once('close', () => {
    unsubscribe();
    streams.delete(res);
  });
  void history?.then(
    (lines) => {
      if (res.destroyed) return;
      const record: HistoryRecord = { type: 'history', lines };
      res.write(`${JSON.stringify(record)}\n${(waiting ?? []).join('')}`);
      waiting = undefined;
    },
    () => res.destroy(),
  );
}
