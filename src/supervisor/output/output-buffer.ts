/**
 * A task's recent output lines (a fixed ring) and the listeners that want every
 * line as it comes (log readiness). Of a batch of lines only the last `capacity`
 * are stored; nothing is allocated per line.
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
    this.lines([line], line, stream);
  }

  /** LineSink: keeps the last lines of the batch, and gives every line to the listeners. */
  lines(lines: readonly string[], _block: string, stream: OutputStream): void {
    const size = this.ring.length;
    for (let i = Math.max(0, lines.length - size); i < lines.length; i++) {
      this.ring[this.next] = lines[i] ?? '';
      this.next = (this.next + 1) % size;
    }
    this.count = Math.min(size, this.count + lines.length);
    const listeners = this.listeners;
    if (listeners.length === 0) return;
    for (const line of lines) {
      for (let i = 0; i < listeners.length; i++) listeners[i]?.(line, stream, false);
    }
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
