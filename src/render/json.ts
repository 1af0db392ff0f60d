import type { SupervisorEvent } from '../core/events.js';
import type { Renderer, RendererOptions } from './types.js';
import { safeWriter } from './writer.js';

/**
 * One SupervisorEvent per line, for machines; an output event becomes one
 * `{ "type": "task-output", …, "line" }` object per line it carries. Notes become
 * `{ "type": "note" }` lines.
 */
export function createJsonRenderer(options: RendererOptions): Renderer {
  const out = safeWriter(options.out);
  return {
    event(event: SupervisorEvent): void {
      if (event.type !== 'task-output') {
        out.write(JSON.stringify(event) + '\n');
        return;
      }
      const { task, stream, at } = event;
      let text = '';
      for (const line of event.lines) text += JSON.stringify({ type: 'task-output', task, stream, line, at }) + '\n';
      out.write(text);
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
