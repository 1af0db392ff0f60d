import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLoader, consumer, loadIn, remove } from './load-harness.js';

let loader: string;
const dirs: string[] = [];
const project = (...args: Parameters<typeof consumer>): string => {
  const dir = consumer(...args);
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  loader = await bundleLoader();
});
afterAll(() => remove(loader, ...dirs));

describe('loadConfig', () => {
  it('loads a TypeScript config in an ESM project, with local imports and top-level await', async () => {
    const dir = project('module', { fixture: 'esm-ts' });
    const loaded = await loadIn(loader, dir);
    expect(loaded).toMatchObject({ ok: true });
    expect(loaded.file).toBe(join(dir, 'ignite.config.ts'));
    expect(loaded.tasks?.map((t) => [t.name, t.dependsOn, t.ready])).toEqual([
      ['db', [], 'tcp'],
      ['api', ['db'], 'http'],
    ]);
    expect(loaded.tasks?.[1]?.cwd).toBe(dir);
  });

  it('caches the compiled TypeScript config and recompiles when an imported module changes', async () => {
    const dir = project('module', { fixture: 'esm-ts' });
    await loadIn(loader, dir);
    const cache = join(dir, 'node_modules/.cache/ignite');
    expect(readdirSync(cache).filter((f) => f.endsWith('.mjs'))).toHaveLength(1);
    const module = join(dir, 'tasks/database.ts');
    writeFileSync(
      module,
      "import { defineTask, ready } from 'ignite-run';\nexport const database = (port: number) => defineTask({ name: 'pg', command: 'postgres', ready: ready.tcp(port) });\n",
    );
    utimesSync(module, new Date(), new Date(Date.now() + 5000));
    const loaded = await loadIn(loader, dir);
    expect(loaded.tasks?.map((t) => t.name)).toEqual(['pg', 'api']);
    expect(readdirSync(cache).filter((f) => f.endsWith('.mjs'))).toHaveLength(1);
  });

  it('loads a TypeScript config in a CommonJS project', async () => {
    const dir = project('commonjs', { fixture: 'cjs-ts' });
    const loaded = await loadIn(loader, dir);
    expect(loaded).toMatchObject({ ok: true });
    expect(loaded.tasks?.map((t) => [t.name, t.dependsOn])).toEqual([
      ['worker', []],
      ['web', ['worker']],
    ]);
    expect(loaded.tasks?.[1]?.env).toEqual({ DIR: dir });
  });

  it('loads TypeScript configs with tsx in ESM and CommonJS projects when the compile cache is off', async () => {
    const esm = await loadIn(loader, project('module', { fixture: 'esm-ts' }), undefined, { tsx: true });
    expect(esm.tasks?.map((t) => t.name)).toEqual(['db', 'api']);
    const cjsDir = project('commonjs', { fixture: 'cjs-ts' });
    const cjs = await loadIn(loader, cjsDir, undefined, { tsx: true });
    // (tsx's tsImport gives a CommonJS config a wrong __dirname, "data:text"; the compile cache gets it right.)
    expect(cjs.tasks?.map((t) => [t.name, t.dependsOn])).toEqual([
      ['worker', []],
      ['web', ['worker']],
    ]);
    expect(existsSync(join(cjsDir, 'node_modules/.cache'))).toBe(false);
  });

  it('loads an .mjs config whose default export is an async function', async () => {
    const dir = project('commonjs', { fixture: 'mjs' });
    const loaded = await loadIn(loader, dir);
    expect(loaded.tasks?.map((t) => [t.name, t.ready])).toEqual([['web', 'tcp']]);
  });

  it('finds the config in the nearest parent folder', async () => {
    const dir = project('module', { fixture: 'mjs', inline: { 'packages/app/.keep': '' } });
    const loaded = await loadIn(loader, join(dir, 'packages/app'));
    expect(loaded.file).toBe(join(dir, 'ignite.config.mjs'));
  });

  it('reports a syntax error with its location', async () => {
    const dir = project('module', { inline: { 'ignite.config.ts': "import { defineConfig } from 'ignite-run';\nconst port = ;\nexport default defineConfig({ tasks: [] });\n" } });
    const loaded = await loadIn(loader, dir);
    expect(loaded.reason).toBe('syntax');
    expect(loaded.text).toBe('✖ ignite.config.ts:2:14: syntax error: Unexpected ";"\n    const port = ;\n                 ^');
  });

  it('reports a syntax error in a JavaScript config with its location', async () => {
    const dir = project('module', { inline: { 'ignite.config.mjs': 'export default {\n  tasks: [,,\n};\n' } });
    const loaded = await loadIn(loader, dir);
    expect(loaded.reason).toBe('syntax');
    expect(loaded.text?.split('\n')[0]).toMatch(/^✖ ignite\.config\.mjs:3:1: syntax error: /);
  });

  it('reports the message of a config that throws, without the stack', async () => {
    const dir = project('module', { inline: { 'ignite.config.ts': "throw new Error('DATABASE_URL is not set');\n" } });
    const loaded = await loadIn(loader, dir);
    expect(loaded.text).toBe(
      '✖ ignite.config.ts: the config threw while loading: DATABASE_URL is not set\n  (run with --debug for the stack trace)',
    );
  });

  it('says what a config exports when it has no default export', async () => {
    const dir = project('module', { inline: { 'ignite.config.ts': 'export const tasks = [];\nexport const port = 1;\n' } });
    const loaded = await loadIn(loader, dir);
    expect(loaded.text).toBe(
      '✖ ignite.config.ts: no config exported (it exports only `port`, `tasks`) — add `export default defineConfig({ tasks: [...] })`',
    );
  });

  it('says what a CommonJS-project TypeScript config exports when it has no default export', async () => {
    const dir = project('commonjs', { inline: { 'ignite.config.ts': 'export const config = { tasks: [] };\n' } });
    const loaded = await loadIn(loader, dir);
    expect(loaded.reason).toBe('no-export');
    expect(loaded.text).toContain('it exports only `config`');
  });

  it('reports every problem of an invalid config', async () => {
    const dir = project('module', {
      inline: { 'ignite.config.mjs': "export default { tasks: [{ name: 'db', command: 'x' }, { name: 'api', command: 'x', dependsOn: ['dbb'] }] };\n" },
    });
    const loaded = await loadIn(loader, dir);
    expect(loaded.text).toBe('✖ ignite.config.mjs: 1 problem\n  tasks[1].dependsOn[0]: unknown task "dbb" — did you mean "db"?');
  });

  it('says where it looked when there is no config', async () => {
    const dir = project('module');
    const loaded = await loadIn(loader, dir);
    expect(loaded.reason).toBe('not-found');
    expect(loaded.text).toBe(`✖ no ignite.config.ts, .mts, .js, .mjs, .json, .yaml, .yml or .toml found in ${dir} or any parent folder — run \`npx --no ignite init\` to create one`);
  });

  it('reports a missing file given with -c', async () => {
    const dir = project('module');
    const loaded = await loadIn(loader, dir, 'conf/ignite.config.ts');
    expect(loaded.text).toBe('✖ config file not found: conf/ignite.config.ts');
    expect(existsSync(join(dir, 'conf'))).toBe(false);
  });
});
