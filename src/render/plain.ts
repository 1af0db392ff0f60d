import type { SupervisorEvent } from '../core/events.js';
import { makeColors } from './colors.js';
import { LineFormatter } from './lines.js';
import type { Renderer, RendererOptions } from './types.js';
import { safeWriter } from './writer.js';

/**
 * Prefixed `name | line` output plus a line per state change; colours only when allowed.
 * `formatter`: one that has already seen the run's events (the pretty view's, when it hands over).
 */
export function createPlainRenderer(options: RendererOptions, formatter = new LineFormatter(makeColors(options.color), options.names)): Renderer {
  const out = safeWriter(options.out);
  return {
    event(event: SupervisorEvent): void {
      const text = formatter.format(event);
      if (text !== undefined) out.write(text + '\n');
    },
    settled: () => Promise.resolve(),
    note(text: string): void {
      out.write(text + '\n');
    },
    close: () => {
      out.flush();
      return Promise.resolve();
    },
  };
}
