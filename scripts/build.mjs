// Builds dist/: per-file ESM + .d.ts with tsc (the library), a CommonJS copy of the tiny
// public entry for configs in projects without "type": "module", and the CLI bundled by
// esbuild into dist/cli/main.js plus one chunk per lazily imported part (splitting), so a
// command resolves and reads a handful of files instead of ~150 (measured: see docs/benchmarks.md).
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

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
// zod's root module re-exports every locale (`z.locales`, ~360 KB bundled) and applies `en`;
// ignite never reads another locale, so the namespace keeps only `en`.
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes('/node_modules/zod/') ? { path: join(args.resolveDir, '../locales/en.js'), namespace: 'zod-locales' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
    }));
  },
};
const EXTERNAL = ['tsx', 'tsx/*', 'esbuild', 'listr2', 'graphviz-cli', '@resvg/resvg-js', 'ignite-run'];
const cli = await esbuild.build({
  entryPoints: { 'cli/main': 'src/cli/main.ts' },
  outdir: 'dist',
  chunkNames: 'cli/chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // zod, commander, graphology and picocolors are bundled: one file read instead of dozens of
  // modules (zod's root import alone opens ~40 locale files concurrently: EMFILE under
  // `ulimit -n 64`). No zod object crosses into dist/'s library files: the user's config
  // imports only the plain builders of dist/config/define.js. Lazily loaded, native or
  // large packages stay in node_modules.
  external: EXTERNAL,
  // bundled CommonJS (commander) requires node builtins: give the ESM chunks a `require`
  banner: { js: "import { createRequire as __igniteRequire } from 'node:module'; const require = __igniteRequire(import.meta.url);" },
  metafile: true,
  plugins: [englishOnlyZod],
  allowOverwrite: true,
  logLevel: 'warning',
});
chmodSync('dist/cli/main.js', 0o755);
if (process.env.IGNITE_BUILD_META !== undefined) writeFileSync(process.env.IGNITE_BUILD_META, JSON.stringify(cli.metafile));
