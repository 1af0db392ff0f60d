import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliContext } from '../context.js';
import { EXIT, print, say } from '../context.js';
import { loadStack } from '../load.js';

type Format = 'dot' | 'svg' | 'png' | 'pdf' | 'json' | 'mermaid';

interface GraphOptions {
  config?: string;
  format: Format;
  out?: string;
  detailed?: boolean;
}

/** `ignite graph`: text formats to stdout (or -o), images to a file (or `-o -`). */
export async function graphCommand(ctx: CliContext, options: GraphOptions): Promise<number> {
  const loaded = await loadStack(ctx, options.config);
  if (!loaded.ok) return loaded.code;
  const graph = await import('../../graph/index.js');
  const stack = loaded.stack;
  const detailed = options.detailed === true;
  switch (options.format) {
    case 'dot':
      return emitText(ctx, graph.toDot(stack, { detailed }), options.out);
    case 'mermaid':
      return emitText(ctx, graph.toMermaid(stack), options.out);
    case 'json':
      return emitText(ctx, JSON.stringify(graph.toJson(stack), null, 2), options.out);
    case 'svg':
    case 'png':
    case 'pdf': {
      const { renderGraphImage } = await import('../../render/graph-image.js');
      const image = await renderGraphImage(graph.toDot(stack, { detailed }), options.format);
      if (!image.ok) {
        say(ctx, image.error.message);
        return EXIT.failed;
      }
      return emitBytes(ctx, image.value, options.out ?? `ignite-graph.${options.format}`);
    }
  }
}

async function emitText(ctx: CliContext, text: string, out: string | undefined): Promise<number> {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (out === undefined || out === '-') {
    print(ctx, body);
    return EXIT.ok;
  }
  return emitBytes(ctx, new TextEncoder().encode(body), out);
}

async function emitBytes(ctx: CliContext, bytes: Uint8Array, out: string): Promise<number> {
  if (out === '-') {
    ctx.stdout.write(bytes);
    return EXIT.ok;
  }
  const file = resolve(ctx.cwd, out);
  try {
    await writeFile(file, bytes);
  } catch (error) {
    say(ctx, `cannot write ${out}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
  say(ctx, `wrote ${out}`);
  return EXIT.ok;
}
