/**
 * The recipes as a user gets them: a throwaway project whose node_modules/ignite-run
 * is this package (built), with an ignite.config.ts importing `ignite-run/recipes`.
 * Needs `npm run build` (dist/recipes comes from scripts/build-recipes.mjs).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, runCli } from './cli.js';

const exec = promisify(execFile);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The stack example of docs/recipes.md: the one ```ts block importing from 'ignite-run/recipes'. */
function docExample(): string {
  const doc = readFileSync(join(REPO, 'docs/recipes.md'), 'utf8');
  const block = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').find((code) => code.includes("from 'ignite-run/recipes'"));
  if (block === undefined) throw new Error("docs/recipes.md has no example importing 'ignite-run/recipes'");
  return block;
}

/** A project folder with `node_modules/ignite-run` → this repository, as `npm link` would make it. */
function consumer(config: string, packageJson: Record<string, unknown>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'ignite-recipes-')));
  dirs.push(dir);
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules/ignite-run'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, ...packageJson }));
  writeFileSync(join(dir, 'ignite.config.ts'), config);
  return dir;
}

const SINGLE = `import { defineConfig } from 'ignite-run';
import { redis } from 'ignite-run/recipes/redis';
import { findBinary, type RedisOptions } from 'ignite-run/recipes';

const options: RedisOptions = { port: 6390, bin: findBinary('redis-server') };
export default defineConfig({ tasks: [redis(options)] });
`;

describe("import from 'ignite-run/recipes'", () => {
  it('validates the docs example in an ESM project', async () => {
    const dir = consumer(docExample(), { type: 'module' });
    const result = await runCli(['validate'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✔ ignite.config.ts: 6 tasks, valid');
    expect(result.stdout).toMatch(/postgres-init\b[\s\S]*\bnginx\b/);
  });

  it('validates a config importing one recipe by its own path, in a CommonJS project', async () => {
    const dir = consumer(SINGLE, {});
    const result = await runCli(['validate'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✔ ignite.config.ts: 1 task, valid');
  });

  it('type-checks both configs against the published declarations', async () => {
    const dir = consumer(docExample(), { type: 'module' });
    writeFileSync(join(dir, 'single.config.ts'), SINGLE);
    const tsconfig = {
      compilerOptions: {
        module: 'nodenext',
        target: 'es2023',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        typeRoots: [join(REPO, 'node_modules/@types')],
        types: ['node'],
      },
      files: ['ignite.config.ts', 'single.config.ts'],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = join(REPO, 'node_modules/typescript/bin/tsc');
    const result = await exec(process.execPath, [tsc, '-p', dir], { cwd: dir }).then(
      () => ({ code: 0, out: '' }),
      (error: unknown) => {
        const failed = error as { code?: number; stdout?: string };
        return { code: failed.code ?? 1, out: failed.stdout ?? '' };
      },
    );
    expect(result.out).toBe('');
    expect(result.code).toBe(0);
  });
});
