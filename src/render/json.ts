import type { SupervisorEvent } from '../core/events.js';
import type { Renderer, RendererOptions } from './types.js';
import { safeWriter } from './writer.js';

/** One SupervisorEvent per line, for machines. Notes become `{ "type": "note" }` lines. */
export function createJsonRenderer(options: RendererOptions): Renderer {
  const out = safeWriter(options.out);
  return {
    event(event: SupervisorEvent): void {
      out.write(JSON.stringify(event) + '\n');
    },
    settled: () => Promise.resolve(),
    note(text: string): void {
      out.write(JSON.stringify({ type: 'note', message: text, at: Date.now() }) + '\n');
    },
    close: () => {
      out.flush();
      return Promise.resolve();
    },
  };
}
