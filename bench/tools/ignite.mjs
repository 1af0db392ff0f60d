// ignite itself, through its built CLI and a TypeScript config, as a user runs it.
import { spawn } from 'node:child_process';
import { writeFileSync, openSync, mkdirSync, symlinkSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { singleProcess } from '../lib.mjs';

// IGNITE_BENCH_ROOT: a copy of the package (its own dist/) to measure, safe from a rebuild of the tree mid-run
export const root = resolve(process.env.IGNITE_BENCH_ROOT ?? join(import.meta.dirname, '../..'));
export const cli = join(root, 'dist/cli/main.js');
/** IGNITE_BENCH_NODE_FLAGS: node options to try on the supervisor (e.g. `--max-semi-space-size=1`). */
const nodeFlags = (process.env.IGNITE_BENCH_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');

function restartField(restart) {
  return restart === 'always'
    ? `restart: { policy: 'always', backoff: 0, maxBackoff: 0, minUptime: 0, maxRestarts: 1000000000 }`
    : `restart: 'never'`;
}

export function igniteConfig(work, { restart = 'never', stopTimeoutMs = 10_000 } = {}) {
  const tasks = work.children.map(
    (c) =>
      `    { name: '${c.name}', command: ['/bin/sh', '${c.script}'], ${restartField(restart)}, stop: { timeout: ${stopTimeoutMs} }, logs: { file: '${join(work.logDir, `${c.name}.log`)}', maxSize: '1gb' } },`,
  );
  return `import { defineConfig } from 'ignite-run';\n\nexport default defineConfig({\n  tasks: [\n${tasks.join('\n')}\n  ],\n});\n`;
}

/** Makes `ignite-run` resolvable from a scratch folder, as an installed package would be. */
export function linkPackage(dir) {
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  const modules = join(dir, 'node_modules');
  mkdirSync(modules, { recursive: true });
  if (!existsSync(join(modules, 'ignite-run'))) symlinkSync(root, join(modules, 'ignite-run'));
}

export default {
  name: 'ignite',
  version: () => `ignite-run ${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}`,
  available: () => existsSync(cli),
  launch(work, options) {
    const config = join(work.dir, 'ignite.config.ts');
    writeFileSync(config, igniteConfig(work, options));
    linkPackage(work.dir);
    const out = openSync(join(work.dir, 'ignite.out'), 'a');
    const child = spawn(process.execPath, [...nodeFlags, cli, 'up', '-c', config, '--output', 'plain'], {
      cwd: work.dir,
      stdio: ['ignore', out, out],
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    });
    return singleProcess(child, work);
  },
};
