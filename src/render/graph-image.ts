import { spawn } from 'node:child_process';
import { err, ok, unreachable, type Result } from '../core/result.js';

export type GraphImageFormat = 'svg' | 'png' | 'pdf';

export const PDF_NEEDS_DOT =
  "PDF needs Graphviz's `dot` on PATH (apt-get install graphviz); use --format svg or png instead";

/**
 * Renders DOT text to an image. SVG comes from WASM Graphviz in-process (no system
 * Graphviz needed), PNG from that SVG through resvg, PDF only from a system `dot`.
 * Both libraries are loaded lazily: they are heavy and only `ignite graph` needs them.
 */
export async function renderGraphImage(
  dot: string,
  format: GraphImageFormat,
  options: { signal?: AbortSignal } = {},
): Promise<Result<Uint8Array, { message: string }>> {
  switch (format) {
    case 'svg': {
      const svg = await renderSvg(dot);
      return svg.ok ? ok(new TextEncoder().encode(svg.value)) : svg;
    }
    case 'png': {
      const svg = await renderSvg(dot);
      return svg.ok ? svgToPng(svg.value) : svg;
    }
    case 'pdf':
      return renderWithSystemDot(dot, 'pdf', options.signal);
    default:
      return unreachable(format);
  }
}

async function renderSvg(dot: string): Promise<Result<string, { message: string }>> {
  try {
    const { renderGraphFromSource } = await import('graphviz-cli');
    return ok(await renderGraphFromSource({ input: dot }, { format: 'svg' }));
  } catch (error) {
    return err({ message: `Graphviz could not render the graph: ${messageOf(error)}` });
  }
}

async function svgToPng(svg: string): Promise<Result<Uint8Array, { message: string }>> {
  try {
    const { Resvg } = await import('@resvg/resvg-js');
    const resvg = new Resvg(withFontFallbacks(svg), { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true }, logLevel: 'off' });
    const png = resvg.render().asPng();
    return ok(new Uint8Array(png.buffer, png.byteOffset, png.byteLength));
  } catch (error) {
    return err({ message: `could not convert the graph to PNG: ${messageOf(error)}` });
  }
}

/**
 * Graphviz sizes boxes with Helvetica's metrics. Where Helvetica is missing, resvg
 * would fall back to a serif font; prefer Helvetica's metric twins (Arial,
 * Liberation Sans, Nimbus Sans), then any sans-serif, semi-condensed where a face
 * exists (DejaVu Sans, the usual Linux fallback, is wider), so labels fit their boxes.
 * resvg does not accept quoted family names, hence the bare list.
 */
function withFontFallbacks(svg: string): string {
  return svg.replaceAll(
    'font-family="Helvetica,sans-Serif"',
    'font-family="Helvetica, Arial, Liberation Sans, Nimbus Sans, Nimbus Sans L, DejaVu Sans, sans-serif" font-stretch="semi-condensed"',
  );
}

function renderWithSystemDot(dot: string, format: 'pdf', signal: AbortSignal | undefined): Promise<Result<Uint8Array, { message: string }>> {
  return new Promise((resolve) => {
    const child = spawn('dot', [`-T${format}`], { stdio: ['pipe', 'pipe', 'pipe'], ...(signal === undefined ? {} : { signal }) });
    const out: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      resolve(err({ message: error.code === 'ENOENT' ? PDF_NEEDS_DOT : `dot failed: ${error.message}` }));
    });
    child.on('close', (code, signalName) => {
      if (code === 0) resolve(ok(new Uint8Array(Buffer.concat(out))));
      else {
        const detail = Buffer.concat(errors).toString('utf8').trim() || `exit ${code ?? signalName ?? 'unknown'}`;
        resolve(err({ message: `dot -T${format} failed: ${detail}` }));
      }
    });
    child.stdin.on('error', () => undefined); // EPIPE if dot dies early; 'close' reports it
    child.stdin.end(dot);
  });
}

function messageOf(error: unknown): string {
  // viz.js wraps Graphviz's own message as "Error: syntax error in line 1\n".
  return (error instanceof Error ? error.message : String(error)).replace(/^Error: /, '').trim();
}
