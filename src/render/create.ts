import { WriteStream } from 'node:tty';
import { unreachable } from '../core/result.js';
import type { RendererKind } from './choose.js';
import { createJsonRenderer } from './json.js';
import { createPlainRenderer } from './plain.js';
import type { Renderer, RendererOptions } from './types.js';

/** Builds the chosen renderer; listr2 is loaded only for `pretty`. */
export async function createRenderer(kind: RendererKind, options: RendererOptions): Promise<Renderer> {
  switch (kind) {
    case 'plain':
      return createPlainRenderer(options);
    case 'json':
      return createJsonRenderer(options);
    case 'pretty': {
      const out = options.out;
      // listr2 draws on a terminal only, and one of some width: a pty nobody sized (0x0:
      // `docker run -t`, `script` in CI) would get a list one character wide. Plain lines then.
      if (!(out instanceof WriteStream) || !(out.columns > 0)) return createPlainRenderer(options);
      // nor a list taller than the terminal: it cannot redraw the lines that scrolled away, so it
      // shows only its last rows (the tasks not started yet), and redrawing a hundred lines at
      // every event slowed startup several times over (100 tasks: ready after 12 s, not 2 s)
      if (options.names.length >= out.rows) return createPlainRenderer(options);
      const { createPrettyRenderer } = await import('./pretty.js');
      return createPrettyRenderer({ ...options, out, isTTY: out.isTTY });
    }
    default:
      return unreachable(kind);
  }
}
