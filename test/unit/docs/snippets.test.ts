/**
 * Docs cannot drift from code: every ```ts block preceded by
 * `<!-- snippet: PATH -->` must equal the file at PATH (repository-relative),
 * and those files are type-checked (tsconfig includes docs/snippets and recipes).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const MARKER = /<!-- snippet: (\S+) -->\n```ts\n([\s\S]*?)```/g;

interface Snippet {
  doc: string;
  path: string;
  body: string;
}

function snippetsIn(doc: string): Snippet[] {
  const text = readFileSync(join(root, doc), 'utf8');
  return [...text.matchAll(MARKER)].map((match) => ({ doc, path: match[1] ?? '', body: match[2] ?? '' }));
}

const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const snippets = docs.flatMap(snippetsIn);

describe('documentation snippets', () => {
  it('are found in the docs', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(10);
  });

  it('leave no snippet marker without a ```ts block right after it', () => {
    const markers = docs.flatMap((doc) => [...readFileSync(join(root, doc), 'utf8').matchAll(/<!-- snippet: /g)].map(() => doc));
    expect(markers.length).toBe(snippets.length);
  });

  it.each(snippets.map((s) => [`${s.doc} → ${s.path}`, s] as const))('%s is identical to its file', (_title, snippet) => {
    const file = join(root, snippet.path);
    expect(existsSync(file), `${snippet.doc} embeds ${snippet.path}, which does not exist`).toBe(true);
    expect(snippet.body).toBe(readFileSync(file, 'utf8'));
  });

  it('come from files the type-check covers', () => {
    for (const snippet of snippets) expect(snippet.path).toMatch(/^(docs\/snippets|recipes)\/.+\.ts$/);
  });
});
