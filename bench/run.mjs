// `npm run bench`: runs ignite and its peers on the same work, in one run, and reports ratios to the raw floor.
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { installPeers } from './peers.mjs';
import { median } from './lib.mjs';
import * as scenarios from './scenarios.mjs';
import * as only from './ignite-only.mjs';
import raw from './tools/raw.mjs';
import ignite from './tools/ignite.mjs';
import supervisord from './tools/supervisord.mjs';
import s6 from './tools/s6.mjs';
import pm2 from './tools/pm2.mjs';
import concurrently from './tools/concurrently.mjs';

const args = new Set(process.argv.slice(2));
const runs = Number(process.env.BENCH_RUNS ?? 3);
const quick = args.has('--quick');
if (!args.has('--no-install')) installPeers();

const tools = [raw, ignite, supervisord, s6, pm2, concurrently].filter((tool) => {
  const only = [...args].find((a) => a.startsWith('--tools='));
  return tool.available() && (only === undefined || only.slice(8).split(',').includes(tool.name));
});

async function repeat(fn, tool, count) {
  const results = [];
  for (let i = 0; i < count; i++) results.push(await fn(tool));
  const keys = Object.keys(results[0]);
  return Object.fromEntries(keys.map((k) => [k, median(results.map((r) => r[k]).filter((v) => v !== undefined))]));
}

const table = {};
for (const tool of tools) {
  console.log(`— ${tool.name}`);
  const row = {};
  Object.assign(row, prefix('s1', await repeat(scenarios.s1, tool, runs)));
  Object.assign(row, prefix('s2', quick ? await scenarios.s2(tool, 5) : await scenarios.s2(tool)));
  Object.assign(row, prefix('s3', await repeat(scenarios.s3, tool, runs)));
  Object.assign(row, prefix('s4', await repeat(scenarios.s4, tool, 1)));
  Object.assign(row, prefix('s5', await repeat(scenarios.s5, tool, runs)));
  Object.assign(row, prefix('s6', await repeat(scenarios.s6, tool, 1)));
  table[tool.name] = row;
  console.log(row);
}

const extra = {
  cold: only.coldValidate(),
  big: only.bigConfig(),
  chain: await only.chain(),
  spawnMs: await only.rawSpawn(),
};
console.log(extra);
const report = render(table, extra);
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(join(import.meta.dirname, 'results', `bench-${Date.now()}.json`), JSON.stringify({ table, extra }, null, 2));
if (!args.has('--no-write')) writeFileSync(join(import.meta.dirname, '..', 'docs', 'benchmarks.md'), report);
console.log(report);

function prefix(name, values) {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${name}.${k}`, v]));
}

function fmt(value, digits = 0) {
  return value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits);
}

function ratio(value, floor) {
  return value === undefined || floor === undefined || floor === 0 ? '' : ` (${(value / floor).toFixed(2)}×)`;
}

function render(rows, extra) {
  const floor = rows.raw ?? {};
  const columns = [
    ['S1 start 100 (ms)', 's1.startMs', 0, true],
    ['S1 stop 100 (ms)', 's1.stopMs', 0, true],
    ['S2 PSS (MB)', 's2.pssMB', 1, false],
    ['S2 CPU/20s (s)', 's2.cpuS', 2, false],
    ['S3 500k lines (ms)', 's3.ms', 0, true],
    ['S3 lost', 's3.lost', 0, false],
    ['S4 respawn (ms)', 's4.respawnMs', 1, false],
    ['S5 stop 20 stubborn (ms)', 's5.stopMs', 0, false],
    ['S5 left', 's5.left', 0, false],
    ['S6 alive after SIGKILL', 's6.alive', 0, false],
  ];
  const lines = [
    '# Benchmarks',
    '',
    `Run with \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    `Medians of ${runs} runs (S2, S4, S6: one run). Ratios are to the raw floor (a plain shell starting the same children, no supervision).`,
    '',
    `Versions: ${tools.map((t) => t.version()).join(' · ')}`,
    '',
    `| tool | ${columns.map((c) => c[0]).join(' | ')} |`,
    `| --- | ${columns.map(() => '---').join(' | ')} |`,
  ];
  for (const [name, row] of Object.entries(rows)) {
    lines.push(`| ${name} | ${columns.map(([, key, digits, withRatio]) => fmt(row[key], digits) + (withRatio && name !== 'raw' ? ratio(row[key], floor[key]) : '')).join(' | ')} |`);
  }
  lines.push(
    '',
    '## ignite only',
    '',
    `| scenario | result | target |`,
    `| --- | --- | --- |`,
    `| cold \`ignite validate\`, 10-task TS config | ${fmt(extra.cold.validateMs)} ms = ${extra.cold.ratio.toFixed(2)}× \`node -e 0\` (${fmt(extra.cold.nodeMs)} ms) | ≤ 2.5× |`,
    `| 20-deep chain of log-ready tasks (first marker → last) | ${fmt(extra.chain.chainMs)} ms (${fmt(extra.chain.ms)} ms from launch) | ≤ 20 × (spawn ${extra.spawnMs.toFixed(1)} ms + 2 ms) = ${fmt(20 * (extra.spawnMs + 2))} ms |`,
    `| validate and plan a 1,000-task config | ${fmt(extra.big.ms)} ms | < 1000 ms |`,
    '',
  );
  return lines.join('\n');
}
