/**
 * Loading is tested in real node processes (not through vitest's module runner, which
 * would resolve `ignite-run` by its alias): the loader is bundled once per run, and each
 * test gets a consumer project in a temp dir with `node_modules/ignite-run` → this repo.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';

const run = promisify(execFile);
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const FIXTURES = join(REPO, 'test/fixtures/configs');

export interface Loaded {
  ok: boolean;
  reason?: string;
  text?: string;
  file?: string;
  tasks?: { name: string; cwd: string; env: Record<string, string>; dependsOn: string[]; ready: string | undefined }[];
}

/** Bundles loader-entry.ts where its bare imports (zod, esbuild, tsx) resolve: in the repo's node_modules. */
export async function bundleLoader(): Promise<string> {
  const outfile = join(REPO, 'node_modules/.cache/ignite-tests', `loader-${process.pid}.mjs`);
  await esbuild.build({
    entryPoints: [join(REPO, 'test/unit/config/loader-entry.ts')],
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

export async function loadIn(loader: string, cwd: string, file?: string, options: { tsx?: boolean; timeoutMs?: number } = {}): Promise<Loaded> {
  const args = [loader, cwd, ...(file === undefined ? [] : [file])];
  const env = {
    ...process.env,
    IGNITE_TEST_COMPILE_CACHE: options.tsx === true ? 'off' : 'on',
    ...(options.timeoutMs === undefined ? {} : { IGNITE_TEST_LOAD_TIMEOUT_MS: String(options.timeoutMs) }),
  };
  const { stdout } = await run(process.execPath, args, { cwd, env, timeout: 8000 });
  return JSON.parse(stdout) as Loaded;
}

/** A consumer project: `type` module or commonjs, files copied from a fixture and/or given inline. */
export function consumer(type: 'module' | 'commonjs', files: { fixture?: string; inline?: Record<string, string> } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'ignite-config-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify(type === 'module' ? { name: 'consumer', type: 'module' } : { name: 'consumer' }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules/ignite-run'), 'dir');
  if (files.fixture !== undefined) cpSync(join(FIXTURES, files.fixture), dir, { recursive: true });
  for (const [name, content] of Object.entries(files.inline ?? {})) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

export function remove(...paths: string[]): void {
  for (const path of paths) rmSync(path, { recursive: true, force: true });
}
