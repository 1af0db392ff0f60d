import type { Writable } from 'node:stream';
import type { SupervisorEvent } from '../core/events.js';

/** A view of a running stack: the CLI feeds it every supervisor event. */
export interface Renderer {
  event(event: SupervisorEvent): void;
  /** Startup has settled: a progress view ends here and hands over to plain lines. */
  settled(): Promise<void>;
  /** Writes a free-form message (a note from the CLI), on its own line. */
  note(text: string): void;
  close(): Promise<void>;
}

export interface RendererOptions {
  out: Writable;
  /** Colours allowed (TTY or FORCE_COLOR, and no NO_COLOR); decided by the CLI. */
  color: boolean;
  /** Instance names of the tasks to show, for padding and the progress list. */
  names: readonly string[];
  /** Instance names of oneshot tasks: the progress view waits for them to complete, not to be ready. */
  oneshots?: readonly string[];
}
