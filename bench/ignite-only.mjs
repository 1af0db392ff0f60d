// Scenarios only ignite has: cold validate, a 20-deep log-ready chain, a 1,000-task config.
import { spawnSync, spawn } from 'node:child_process';
import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { linkPackage, cli } from './tools/ignite.mjs';
import { now, delay, median, scratch, waitUntil, countFiles, taggedPids, killAll, alive } from './lib.mjs';


function timeCommand(argv, runs, options = {}) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    const result = spawnSync(argv[0], argv.slice(1), { stdio: 'ignore', ...options });
    if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}`);
    times.push(now() - t0);
  }
  return median(times);
}

function tasksConfig(count, makeTask) {
  const tasks = Array.from({ length: count }, (_, i) => `    ${makeTask(i)},`).join('\n');
  return `import { defineConfig, ready } from 'ignite-run';\n\nexport default defineConfig({\n  tasks: [\n${tasks}\n  ],\n});\n`;
}

/** Cold `ignite validate` on a 10-task TypeScript config against `node -e 0`. */
export function coldValidate(runs = 15) {
  const dir = scratch('validate');
  linkPackage(dir);
  writeFileSync(
    join(dir, 'ignite.config.ts'),
    tasksConfig(10, (i) => `{ name: 't${i}', command: ['sleep', '1000'], dependsOn: ${i > 0 ? `['t${i - 1}']` : '[]'}, ready: ready.tcp(${8000 + i}) }`),
  );
  const env = { ...process.env, NO_COLOR: '1' };
  timeCommand([process.execPath, cli, 'validate'], 2, { cwd: dir, env }); // warm the compile cache, as a second run does
  const validate = timeCommand([process.execPath, cli, 'validate'], runs, { cwd: dir, env });
  const node = timeCommand([process.execPath, '-e', '0'], runs);
  rmSync(dir, { recursive: true, force: true });
  // Node reads the file NODE_EXTRA_CA_CERTS names at every start, before any script: a cost of the
  // machine that every Node-based tool here pays on each start, reported beside the machine
  if (process.env.NODE_EXTRA_CA_CERTS === undefined) return { validateMs: validate, nodeMs: node, ratio: validate / node };
  const { NODE_EXTRA_CA_CERTS: _, ...withoutExtraCa } = process.env;
  const nodeWithoutExtraCaMs = timeCommand([process.execPath, '-e', '0'], runs, { env: withoutExtraCa });
  return { validateMs: validate, nodeMs: node, ratio: validate / node, nodeWithoutExtraCaMs };
}

/** Validating and planning a 1,000-task config. */
export function bigConfig(runs = 5) {
  const dir = scratch('big');
  linkPackage(dir);
  writeFileSync(
    join(dir, 'ignite.config.ts'),
    tasksConfig(1000, (i) => `{ name: 't${i}', command: ['sleep', '1000'], dependsOn: ${i > 0 ? `['t${Math.floor((i - 1) / 2)}']` : '[]'} }`),
  );
  const ms = timeCommand([process.execPath, cli, 'validate'], runs, { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  rmSync(dir, { recursive: true, force: true });
  return { ms };
}

/** A 20-deep chain of log-ready tasks: launch until the last has written its marker. */
export async function chain(depth = 20) {
  const dir = scratch('chain');
  linkPackage(dir);
  const tag = `chain-${process.pid}`;
  const markers = join(dir, 'markers');
  mkdirSync(markers);
  writeFileSync(
    join(dir, 'ignite.config.ts'),
    tasksConfig(
      depth,
      (i) =>
        `{ name: 'c${i}', command: ['/bin/sh', '-c', 'export BENCH_TAG=${tag}; : > ${markers}/c${i}; echo up; exec sleep 1000'], ready: ready.log(/up/), dependsOn: ${i > 0 ? `['c${i - 1}']` : '[]'} }`,
    ),
  );
  const t0 = now();
  const child = spawn(process.execPath, [cli, 'up', '--output', 'plain'], { cwd: dir, stdio: 'ignore', env: { ...process.env, CI: 'true' } });
  await waitUntil(() => countFiles(markers) >= 1, { timeoutMs: 30_000, step: 1 });
  const first = now();
  const done = await waitUntil(() => countFiles(markers) === depth, { timeoutMs: 30_000, step: 1 });
  const ms = done === undefined ? undefined : now() - t0;
  // the chain itself: from the first task's marker to the last, scaled to `depth` links
  const chainMs = done === undefined ? undefined : ((now() - first) * depth) / (depth - 1);
  const children = taggedPids(tag);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await waitUntil(() => children.every((pid) => !alive(pid)), { timeoutMs: 15_000 });
  // ignite itself still writes its state file while it stops: remove the folder once it has exited
  if ((await Promise.race([exited.then(() => true), delay(15_000).then(() => false)])) === false) child.kill('SIGKILL');
  killAll(taggedPids(tag));
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  return { ms, chainMs };
}

/** One raw spawn of `sh` writing a marker, for the chain's target. */
export async function rawSpawn(runs = 20) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    spawnSync('/bin/sh', ['-c', ': > /dev/null']);
    times.push(now() - t0);
  }
  return median(times);
}
