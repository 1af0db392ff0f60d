// Builds dist/: per-file ESM + .d.ts with tsc (the library), a CommonJS copy of the tiny
// public entry for configs in projects without "type": "module", and the CLI bundled by
// esbuild into dist/cli/main.js plus one chunk per lazily imported part (splitting), so a
// command resolves and reads a handful of files instead of ~150 (measured: see docs/benchmarks.md).
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
const esbuild = await import('esbuild');
await esbuild.build({
  entryPoints: ['src/index.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: 'dist/index.cjs',
  // the library API loads these lazily from dist/ (ESM); keep them out of the tiny CJS entry
  external: ['./config/*', './supervisor/*', './render/*'],
  supported: { 'dynamic-import': true },
  logLevel: 'warning',
});
await esbuild.build({
  entryPoints: { 'cli/main': 'src/cli/main.ts' },
  outdir: 'dist',
  chunkNames: 'cli/chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // dependencies stay in node_modules (zod's instanceof checks, native and lazily loaded packages)
  packages: 'external',
  allowOverwrite: true,
  logLevel: 'warning',
});
chmodSync('dist/cli/main.js', 0o755);
