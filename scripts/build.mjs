// Builds dist/: per-file ESM + .d.ts with tsc (the library), a CommonJS copy of the tiny
// public entry for configs in projects without "type": "module", and the CLI bundled by
// esbuild into a tiny ESM entry dist/cli/main.js plus one CommonJS bundle dist/cli/ignite.cjs,
// which the entry runs with a V8 code cache (measured: see docs/benchmarks.md).
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
// yaml and smol-toml parse data configs only: kept out of the bundle, whose whole source V8 compiles
// (from its code cache) and holds on every run, so a TypeScript config pays nothing for them.
const EXTERNAL = ['tsx', 'tsx/*', 'esbuild', 'listr2', 'graphviz-cli', '@resvg/resvg-js', 'yaml', 'smol-toml', 'ignite-run'];
// Loaded lazily with import() in the source; each has a CommonJS entry, so the bundle require()s it:
// importing CommonJS from ESM costs a parse of the whole file by cjs-module-lexer (esbuild's
// lib/main.js: 8-16 ms) and the ESM loader's resolve/translate. tsx stays a real import()
// (its ESM API registers loader hooks).
const REQUIRED = /^(esbuild|graphviz-cli|@resvg\/resvg-js|yaml|smol-toml)$/;
const requireExternals = {
  name: 'require-externals',
  setup(build) {
    build.onResolve({ filter: REQUIRED }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, namespace: 'required' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'required' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};
// V8 drops a Script's import() callback from code it deserialises from a cache (Node 20), so the
// bundle keeps no import() of its own: the ones esbuild does not bundle (the user's config, tsx)
// call `__igniteImport`, the entry's `(specifier) => import(specifier)` (same folder: same resolution).
const ROUTED_IMPORT = /(?<![.\w$]|typeof\s+)import\((?!\s*['"](\.{1,2}\/|(esbuild|graphviz-cli|@resvg\/resvg-js|yaml|smol-toml)['"]))/g;
const routeImports = {
  name: 'route-imports',
  setup(build) {
    build.onLoad({ filter: /\/src\/.*\.ts$/ }, (args) =>
      args.path.includes('/node_modules/') ? undefined : { contents: readFileSync(args.path, 'utf8').replace(ROUTED_IMPORT, '__igniteImport('), loader: 'ts' },
    );
  },
};
// The entry: node builtins and three tiny modules (handlers first, then the bundle through a V8 code cache).
const entry = await esbuild.build({
  entryPoints: { 'cli/main': 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  metafile: true,
  allowOverwrite: true,
  logLevel: 'warning',
});
// The rest of the CLI: ONE CommonJS file. Modules reached through import() stay lazy (esbuild turns
// them into init functions), so a command runs only what it uses, while V8 can cache the compiled
// code of the whole file (Node 20 caches no ES module code). zod, commander, graphology and
// picocolors are bundled (zod's root import alone opens ~40 locale files: EMFILE under
// `ulimit -n 64`); no zod object crosses into dist/'s library files: the user's config imports
// only the plain builders of dist/config/define.js. Lazily loaded, native or large packages stay
// in node_modules.
const bundle = await esbuild.build({
  entryPoints: ['src/cli/program.ts'],
  outfile: 'dist/cli/ignite.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // ASCII output: a source with any other character is held by V8 as a two-byte string (2 MB, not 1).
  // 'ascii' escapes strings and identifiers; the comments, which it leaves as written, go with the
  // whitespace below (test/e2e/code-cache.test.ts fails on any non-ASCII character in the bundle)
  charset: 'ascii',
  legalComments: 'none',
  // V8 keeps the whole source in the heap for as long as the CLI runs: 1,034 KB as written, 697 KB
  // without whitespace and comments (an idle `up`: -0.45 MB PSS). Names stay, so stacks still read.
  minifyWhitespace: true,
  minifySyntax: true,
  external: EXTERNAL,
  // the loader (src/cli/code-cache.ts) passes the bundle's URL as `__igniteUrl` (and `__igniteImport`)
  define: { 'import.meta.url': '__igniteUrl', 'import.meta.dirname': '__dirname', 'import.meta.filename': '__filename' },
  supported: { 'dynamic-import': true },
  metafile: true,
  plugins: [englishOnlyZod, requireExternals, routeImports],
  logLevel: 'warning',
});
chmodSync('dist/cli/main.js', 0o755);
const meta = {
  inputs: { ...entry.metafile.inputs, ...bundle.metafile.inputs },
  outputs: { ...entry.metafile.outputs, ...bundle.metafile.outputs },
};
if (process.env.IGNITE_BUILD_META !== undefined) writeFileSync(process.env.IGNITE_BUILD_META, JSON.stringify(meta));
