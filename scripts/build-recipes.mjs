// Builds dist/recipes/: the typed task factories of recipes/ as ESM + .d.ts, for
// `import { redis } from 'ignite-run/recipes'`. Run after scripts/build.mjs: the recipes
// import 'ignite-run', which stays a bare import resolved by the package's self-reference
// (dist/index.js at run time, dist/index.d.ts when compiling), so it is never bundled in.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
if (!existsSync('dist/index.d.ts')) throw new Error('build-recipes: dist/index.d.ts is missing; run scripts/build.mjs first');
rmSync('dist/recipes', { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.recipes.json'], { stdio: 'inherit' });
