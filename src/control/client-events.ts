import type { IncomingMessage } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import type { SupervisorEvent } from '../core/events.js';

/**
 * The NDJSON event stream as an async iterable. It ends when the server closes
 * it (shutdown) or when `close()` is called; a broken line is skipped.
 */
export class EventStream<T = SupervisorEvent> implements AsyncIterable<T> {
  private closed = false;

  constructor(private readonly res: IncomingMessage) {
    // A reset when the supervisor goes away ends the iteration instead of throwing.
    res.on('error', () => undefined);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.destroy();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    const decoder = new StringDecoder('utf8');
    let buffered = '';
    try {
      for await (const chunk of this.res) {
        buffered += decoder.write(chunk as Buffer);
        let newline = buffered.indexOf('\n');
        while (newline >= 0) {
          const event = parseEvent(buffered.slice(0, newline)) as T | undefined;
          buffered = buffered.slice(newline + 1);
          if (event !== undefined) yield event;
          newline = buffered.indexOf('\n');
        }
      }
    } catch {
      // the connection dropped or was closed: the stream simply ends
    } finally {
      this.close();
    }
  }
}

function parseEvent(line: string): unknown {
  if (line.trim() === '') return undefined;
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
