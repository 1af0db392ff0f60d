import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, FIXTURES, REPO, removeDir, runCli, scratchDir, startCli, waitForOutput } from './cli.js';
import { until } from '../fixtures/ready/run.js';

const BUILT = join(REPO, 'dist/cli');
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

/** A private copy of the built CLI (entry + bundle + package.json two levels up), so its cache starts empty. */
function copyCli(command = 'validate'): { cli: string; cache: string; root: string } {
  const root = scratchDir('code-cache');
  dirs.push(root);
  mkdirSync(join(root, 'dist/cli'), { recursive: true });
  copyFileSync(join(REPO, 'package.json'), join(root, 'package.json'));
  for (const file of ['main.js', 'ignite.cjs']) copyFileSync(join(BUILT, file), join(root, 'dist/cli', file));
  const cli = join(root, 'dist/cli/main.js');
  return { cli, cache: join(root, `dist/cli/ignite.cjs.${command}.v8cache`), root };
}

const validate = (cli: string, env: Record<string, string> = {}): ReturnType<typeof runCli> =>
  runCli([], { cwd: join(FIXTURES, 'good'), env, argv: [process.execPath, cli, 'validate'] });

describe('the built CLI', () => {
  it('is a small ESM entry that loads one CommonJS bundle, with no chunk files', () => {
    expect(existsSync(join(BUILT, 'chunks'))).toBe(false);
    expect(statSync(CLI).size).toBeLessThan(20_000);
    const entry = readFileSync(CLI, 'utf8');
    expect(entry.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const imported = [...entry.matchAll(/^import .* from ["']([^"']+)["'];$/gm)].map((match) => match[1]);
    expect(imported.every((name) => name?.startsWith('node:'))).toBe(true);
    const bundle = readFileSync(join(BUILT, 'ignite.cjs'), 'utf8');
    // externals stay external; esbuild is required as CommonJS, not imported through the ESM loader
    expect(bundle).toContain('require("esbuild")');
    expect(bundle).toContain('require("listr2")');
    expect(bundle).toContain('__igniteImport("tsx/esm/api")');
    expect(bundle).not.toMatch(/zod\/v4\/locales\/(?!en\.js)/);
    // one byte per character: V8 holds a source with any other character as a two-byte string (2 MB, not 1)
    expect(bundle).not.toMatch(/[\u0080-\uffff]/);
  });

  it('writes a code cache on the first run, uses it on the next, and gives the same output', async () => {
    const { cli, cache } = copyCli();
    const first = await validate(cli);
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(cache)).toBe(true);
    const written = statSync(cache).mtimeMs;
    const second = await validate(cli);
    expect(second).toEqual(first);
    // the same command again: the cache already holds its code, nothing is rewritten
    expect(statSync(cache).mtimeMs).toBe(written);
  });

  it('keeps the cache that `up` wrote valid for the next `up` (written before it changes V8\'s GC flags)', async () => {
    const { cli, cache, root } = copyCli('up');
    const project = join(root, 'project');
    mkdirSync(project);
    // lives until 1.2 s: past the moment `up` changes V8's GC flags (settled) and opens its --optimize-for-size window (0.9 s)
    writeFileSync(join(project, 'ignite.config.mjs'), "export default { tasks: [{ name: 'once', command: ['sleep', '1.2'], oneshot: true }] };\n");
    const up = (): ReturnType<typeof runCli> => runCli([], { cwd: project, argv: [process.execPath, cli, 'up', '--output', 'plain'] });
    const first = await up();
    expect(first.code, first.stderr).toBe(0);
    const written = statSync(cache).mtimeMs;
    const second = await up();
    expect(second.code, second.stderr).toBe(0);
    // a cache V8 rejected would have been written again
    expect(statSync(cache).mtimeMs).toBe(written);
  });

  it('writes the cache of a long-running `up` while it runs, not at exit (a GC by then has dropped the startup code)', async () => {
    const { cli, cache, root } = copyCli('up');
    const project = join(root, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'ignite.config.mjs'), "export default { tasks: [{ name: 'idle', command: ['sleep', '60'] }] };\n");
    const run = startCli([], { cwd: project, argv: [process.execPath, cli, 'up', '--output', 'plain'] });
    try {
      await until(() => existsSync(cache), 10_000, 'the code cache to be written');
      expect(run.child.exitCode).toBeNull();
      // the cache is written at 0.8 s whatever `up` has reached; on a loaded machine its Ctrl+C handling may come later
      await waitForOutput(run.stdout, (text) => text.includes('idle ● ready'));
    } finally {
      run.child.kill('SIGINT');
    }
    expect((await run.done).code).toBe(0);
  });

  it('ignores a corrupt cache and writes a good one over it', async () => {
    const { cli, cache } = copyCli();
    const good = await validate(cli);
    writeFileSync(cache, Buffer.concat([readFileSync(cache).subarray(0, 200), Buffer.from('garbage')]));
    const result = await validate(cli);
    expect(result).toEqual(good);
    expect(statSync(cache).size).toBeGreaterThan(1000);
    expect(await validate(cli)).toEqual(good);
  });

  it('falls back to $XDG_CACHE_HOME when it cannot write beside the bundle, and works with no cache at all', async () => {
    const { cli, cache, root } = copyCli();
    mkdirSync(cache); // not a file: unreadable and not replaceable
    const xdg = join(root, 'xdg');
    const result = await validate(cli, { XDG_CACHE_HOME: xdg });
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(join(xdg, 'ignite-run')).filter((name) => name.endsWith('.v8cache'))).toHaveLength(1);
    expect(await validate(cli, { XDG_CACHE_HOME: xdg })).toEqual(result);
    // nowhere to write: same output, no error
    writeFileSync(join(root, 'blocked'), '');
    expect(await validate(cli, { XDG_CACHE_HOME: join(root, 'blocked') })).toEqual(result);
  });
});
