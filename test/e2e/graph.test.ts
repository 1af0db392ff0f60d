import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, removeDir, runCli, scratchDir } from './cli.js';

const good = join(FIXTURES, 'good/ignite.config.mjs');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

describe('ignite graph', () => {
  it('prints DOT by default', async () => {
    const result = await runCli(['graph', '-c', good]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^digraph ignite \{/);
    expect(result.stdout).toContain('"api"');
  });

  it('prints mermaid', async () => {
    const result = await runCli(['graph', '--format', 'mermaid', '-c', good]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^(flowchart|graph) /);
  });

  it('prints JSON with nodes, edges and waves', async () => {
    const result = await runCli(['graph', '--format', 'json', '-c', good]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { nodes: { name: string }[]; edges: unknown[]; waves: string[][] };
    expect(json.nodes.map((n) => n.name)).toEqual(['db', 'migrate', 'api', 'worker']);
    expect(json.edges).toHaveLength(4);
    expect(json.waves[0]).toEqual(['db']);
  });

  it('writes an SVG file without Graphviz on PATH', async () => {
    const dir = scratchDir('graph');
    dirs.push(dir);
    const result = await runCli(['graph', '--format', 'svg', '-o', 'out.svg', '-c', good], {
      cwd: dir,
      env: { PATH: '/usr/local/nonexistent' },
    });
    expect(result.stderr).toBe('ignite: wrote out.svg\n');
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'out.svg'), 'utf8')).toContain('<svg');
  });

  it('writes ignite-graph.svg by default and to stdout with -o -', async () => {
    const dir = scratchDir('graph-default');
    dirs.push(dir);
    const file = await runCli(['graph', '--format', 'svg', '-c', good], { cwd: dir });
    expect(file.code).toBe(0);
    expect(existsSync(join(dir, 'ignite-graph.svg'))).toBe(true);
    const stdout = await runCli(['graph', '--format', 'svg', '-o', '-', '-c', good], { cwd: dir });
    expect(stdout.code).toBe(0);
    expect(stdout.stdout).toContain('<svg');
  });

  it('exits 2 on an unknown format', async () => {
    const result = await runCli(['graph', '--format', 'gif', '-c', good]);
    expect(result.code).toBe(2);
  });
});
