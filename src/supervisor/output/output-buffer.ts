/**
 * A task's recent output lines (a fixed ring) and the listeners that want every
 * line as it comes (log readiness, the event stream). Nothing is allocated per
 * line beyond storing the string.
 */
import type { LineSink } from './types.js';
import type { OutputSource, OutputStream } from '../../ready/types.js';

type Listener = (line: string, stream: OutputStream, partial: boolean) => void;

export class OutputBuffer implements OutputSource, LineSink {
  private readonly ring: string[];
  private next = 0;
  private count = 0;
  /** Copied on (un)subscribe, so notifying never allocates and tolerates changes mid-loop. */
  private listeners: readonly Listener[] = [];

  constructor(capacity = 50) {
    this.ring = new Array<string>(Math.max(1, capacity)).fill('');
  }

  push(line: string, stream: OutputStream): void {
    this.ring[this.next] = line;
    this.next = (this.next + 1) % this.ring.length;
    if (this.count < this.ring.length) this.count++;
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]?.(line, stream, false);
  }

  /** LineSink's name for `push`, so a LineFramer can feed the buffer directly. */
  line(text: string, stream: OutputStream): void {
    this.push(text, stream);
  }

  partial(text: string, stream: OutputStream): void {
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]?.(text, stream, true);
  }

  recent(): readonly string[] {
    const size = this.ring.length;
    const first = (this.next - this.count + size) % size;
    const lines: string[] = [];
    for (let i = 0; i < this.count; i++) lines.push(this.ring[(first + i) % size] ?? '');
    return lines;
  }

  clear(): void {
    this.next = 0;
    this.count = 0;
    this.ring.fill('');
  }

  subscribe(listener: Listener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }
}
