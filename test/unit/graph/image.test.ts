import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toDot } from '../../../src/graph/index.js';
import { PDF_NEEDS_DOT, renderGraphImage } from '../../../src/render/graph-image.js';
import { smallStack, stack, task } from './fixtures.js';

const originalPath = process.env.PATH ?? '';
const systemDot = originalPath.split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, 'dot')));

/** PATH without any folder that holds Graphviz's `dot`, to prove svg/png need no system Graphviz. */
function pathWithoutGraphviz(): string {
  return originalPath
    .split(delimiter)
    .filter((dir) => dir !== '' && !existsSync(join(dir, 'dot')))
    .join(delimiter);
}

describe('renderGraphImage without a system Graphviz', () => {
  beforeEach(() => {
    process.env.PATH = pathWithoutGraphviz();
  });
  afterEach(() => {
    process.env.PATH = originalPath;
  });

  it('renders SVG in-process with every task name', async () => {
    const result = await renderGraphImage(toDot(smallStack(), { detailed: false }), 'svg');
    if (!result.ok) throw new Error(result.error.message);
    const svg = new TextDecoder().decode(result.value);
    expect(svg).toContain('<svg');
    for (const name of ['db', 'migrate', 'api (2 replicas)', 'Postgres']) expect(svg).toContain(`>${name}</text>`);
  });

  it('carries detailed tooltips and hostile text safely into the SVG', async () => {
    const hostile = task('x', { description: 'a "q" & <b> \\N', command: { kind: 'shell', script: 'echo "1" && true' } });
    const result = await renderGraphImage(toDot(stack([hostile]), { detailed: true }), 'svg');
    if (!result.ok) throw new Error(result.error.message);
    const svg = new TextDecoder().decode(result.value);
    expect(svg).toContain('>a &quot;q&quot; &amp; &lt;b&gt; \\N</text>');
    expect(svg).toContain('xlink:title="command: echo &quot;1&quot; &amp;&amp; true&#10;ready: spawned (timeout 1m0s)');
  });

  it('renders PNG from the SVG', async () => {
    const result = await renderGraphImage(toDot(smallStack(), { detailed: false }), 'png');
    if (!result.ok) throw new Error(result.error.message);
    expect([...result.value.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('explains that PDF needs a system dot', async () => {
    expect(await renderGraphImage('digraph { a }', 'pdf')).toEqual({ ok: false, error: { message: PDF_NEEDS_DOT } });
  });

  it('returns invalid DOT as a failure instead of throwing, and renders again afterwards', async () => {
    expect(await renderGraphImage('digraph { a -> ', 'svg')).toEqual({
      ok: false,
      error: { message: 'Graphviz could not render the graph: syntax error in line 1' },
    });
    expect((await renderGraphImage('digraph { a }', 'svg')).ok).toBe(true);
  });
});

describe.runIf(systemDot)('renderGraphImage with a system Graphviz', () => {
  it('renders PDF through dot', async () => {
    const result = await renderGraphImage(toDot(smallStack(), { detailed: true }), 'pdf');
    if (!result.ok) throw new Error(result.error.message);
    expect(new TextDecoder().decode(result.value.slice(0, 5))).toBe('%PDF-');
  });
});

describe('renderGraphImage through a dot on PATH', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ignite-fake-dot-'));
    process.env.PATH = [dir, pathWithoutGraphviz()].join(delimiter);
  });
  afterEach(() => {
    process.env.PATH = originalPath;
    rmSync(dir, { recursive: true, force: true });
  });

  function fakeDot(script: string): void {
    writeFileSync(join(dir, 'dot'), `#!/bin/sh\n${script}\n`);
    chmodSync(join(dir, 'dot'), 0o755);
  }

  it('passes the DOT text on stdin and returns what dot writes', async () => {
    fakeDot('[ "$1" = "-Tpdf" ] || exit 9; printf "%%PDF-"; cat');
    const result = await renderGraphImage('digraph { "a b" }', 'pdf');
    if (!result.ok) throw new Error(result.error.message);
    expect(new TextDecoder().decode(result.value)).toBe('%PDF-digraph { "a b" }');
  });

  it('reports what dot printed when it fails', async () => {
    fakeDot('cat >/dev/null; echo "Error: <stdin>: syntax error in line 1" >&2; exit 1');
    expect(await renderGraphImage('digraph {', 'pdf')).toEqual({
      ok: false,
      error: { message: 'dot -Tpdf failed: Error: <stdin>: syntax error in line 1' },
    });
  });
});
