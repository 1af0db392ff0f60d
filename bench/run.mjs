// `npm run bench`: runs ignite and its peers on the same work, in one run, and reports ratios to the raw floor.
import { writeFileSync, mkdirSync, existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { join } from 'node:path';
import { installPeers } from './peers.mjs';
import { median } from './lib.mjs';
import * as scenarios from './scenarios.mjs';
import * as only from './ignite-only.mjs';
import raw from './tools/raw.mjs';
import nodeFloor from './tools/node-floor.mjs';
import ignite from './tools/ignite.mjs';
import supervisord from './tools/supervisord.mjs';
import s6 from './tools/s6.mjs';
import pm2 from './tools/pm2.mjs';
import concurrently from './tools/concurrently.mjs';

const args = new Set(process.argv.slice(2));
const runs = Number(process.env.BENCH_RUNS ?? 3);
const quick = args.has('--quick');
const renderFrom = [...args].find((a) => a.startsWith('--render='))?.slice(9);
if (renderFrom !== undefined) {
  // re-renders docs/benchmarks.md from a saved run (bench/results/*.json)
  const saved = JSON.parse(readFileSync(renderFrom, 'utf8'));
  writeFileSync(join(import.meta.dirname, '..', 'docs', 'benchmarks.md'), render(saved.table, saved.extra, saved.meta));
  process.exit(0);
}
if (!args.has('--no-install')) installPeers();

const tools = [raw, nodeFloor, ignite, supervisord, s6, pm2, concurrently].filter((tool) => {
  const only = [...args].find((a) => a.startsWith('--tools='));
  return tool.available() && (only === undefined || only.slice(8).split(',').includes(tool.name));
});

async function repeat(fn, tool, count, ...rest) {
  const results = [];
  for (let i = 0; i < count; i++) {
    try {
      results.push(await fn(tool, ...rest));
    } catch (error) {
      console.error(`  ${tool.name} ${fn.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (results.length === 0) return {};
  const keys = Object.keys(results[0]);
  return Object.fromEntries(keys.map((k) => [k, median(results.map((r) => r[k]).filter((v) => v !== undefined))]));
}

const only1 = (name) => [...args].find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const scenarioFilter = only1('scenarios')?.split(',');
const want = (name) => scenarioFilter === undefined || scenarioFilter.includes(name);

const table = {};
for (const tool of tools) {
  console.log(`— ${tool.name}`);
  const row = {};
  if (want('s1')) Object.assign(row, prefix('s1', await repeat(scenarios.s1, tool, runs)));
  if (want('s2')) Object.assign(row, prefix('s2', await repeat(scenarios.s2, tool, 1, quick ? 5 : 20)));
  if (want('s3')) Object.assign(row, prefix('s3', await repeat(scenarios.s3, tool, runs)));
  if (want('s4')) Object.assign(row, prefix('s4', await repeat(scenarios.s4, tool, Math.min(runs, 2))));
  if (want('s5')) Object.assign(row, prefix('s5', await repeat(scenarios.s5, tool, runs)));
  if (want('s6')) Object.assign(row, prefix('s6', await repeat(scenarios.s6, tool, 1)));
  table[tool.name] = row;
  console.log(row);
}
if (!tools.some((t) => t.name === 'ignite') || (scenarioFilter !== undefined && !want('only'))) {
  console.log('(ignite-only scenarios skipped)');
  process.exit(0);
}

const extra = {
  cold: only.coldValidate(),
  big: only.bigConfig(),
  chain: await only.chain(),
  spawnMs: await only.rawSpawn(),
};
console.log(extra);
const meta = {
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}, Node ${process.version}`,
  runs,
  versions: tools.map((t) => t.version()),
};
const report = render(table, extra, meta);
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(join(import.meta.dirname, 'results', `bench-${Date.now()}.json`), JSON.stringify({ table, extra, meta }, null, 2));
if (!args.has('--no-write')) writeFileSync(join(import.meta.dirname, '..', 'docs', 'benchmarks.md'), report);
console.log(report);

function prefix(name, values) {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${name}.${k}`, v]));
}

function fmt(value, digits = 0) {
  return value == null || Number.isNaN(value) ? '—' : value.toFixed(digits);
}

function ratio(value, floor) {
  return value == null || floor == null || floor === 0 ? '' : ` (${(value / floor).toFixed(2)}×)`;
}

function extraCaNote(cold) {
  if (cold?.nodeWithoutExtraCaMs === undefined) return '';
  return ` \`NODE_EXTRA_CA_CERTS\` is set here, and Node reads the file it names at every start: \`node -e 0\` takes ${fmt(cold.nodeMs)} ms with it, ${fmt(cold.nodeWithoutExtraCaMs)} ms without — paid by every Node-based tool below (node, ignite, pm2, concurrently) on each start.`;
}

function render(rows, extra, meta) {
  const floor = rows.raw ?? {};
  const columns = [
    ['S1 start 100 (ms)', 's1.startMs', 0, true],
    ['S1 stop 100 (ms)', 's1.stopMs', 0, true],
    ['S2 PSS (MB)', 's2.pssMB', 1, false],
    ['S2 CPU/20s (s)', 's2.cpuS', 2, false],
    ['S3 500k lines (ms)', 's3.ms', 0, true],
    ['S3 lost', 's3.lost', 0, false],
    ['S3 other lines', 's3.foreign', 0, false],
    ['S4 respawn (ms)', 's4.respawnMs', 1, false],
    ['S5 stop 20 stubborn (ms)', 's5.stopMs', 0, false],
    ['S5 left', 's5.left', 0, false],
    ['S6 alive after SIGKILL', 's6.alive', 0, false],
  ];
  const lines = [
    '# Benchmarks',
    '',
    `Run with \`npm run bench\` on ${meta.date}: ${meta.machine}.${extraCaNote(extra.cold)}`,
    `Medians of ${meta.runs} runs (S2, S6: one run; S4: ${Math.min(meta.runs, 2)}). Ratios are to the raw floor (a plain shell starting the same children, no supervision); *node* is a second floor, a bare Node.js script spawning and piping the same children (\`bench/tools/node-floor-runner.mjs\`): what any supervisor built on Node pays first.`,
    '',
    `Versions: ${meta.versions.join(' · ')}`,
    '',
    `| tool | ${columns.map((c) => c[0]).join(' | ')} |`,
    `| --- | ${columns.map(() => '---').join(' | ')} |`,
  ];
  for (const [name, row] of Object.entries(rows)) {
    lines.push(`| ${name} | ${columns.map(([, key, digits, withRatio]) => fmt(row[key], digits) + (withRatio && name !== 'raw' ? ratio(row[key], floor[key]) : '')).join(' | ')} |`);
  }
  lines.push(
    '',
    'How each figure is taken (bench/scenarios.mjs):',
    '',
    '- **S1** from spawning the tool (config loading included; a fresh scratch folder, so ignite compiles its TypeScript config cold) until all 100 `/bin/sh` children wrote their marker; stop: from the stop request until every child pid is gone.',
    "- **S2** PSS (smaps_rollup) of the tool's own processes (its pid and every descendant that is not a child: s6-supervise, ignite's guardian, pm2's daemon), and their CPU over 20 s after a 2 s settle.",
    "- **S3** from launch until the child's last line is in the tool's log file (ignite, pm2, supervisord: the task's file; s6: s6-log's `current`; concurrently: its raw stdout; raw: a shell redirect). *lost* = the child's lines not found exactly once, byte for byte; *other lines* = anything else in the file (prefixes, timestamps).",
    '- **S4** median gap between consecutive starts of a child that exits 1 at once (`date +%s%N >> stamps; exit 1`), zero backoff, steady state; the gap includes the child itself (see raw, a `while` loop). s6-supervise and supervisord have a built-in ~1 s respawn floor.',
    '- **S5** 20 children that ignore TERM and keep a background `sleep`; stop timeout 1 s; *left* counts the shells and their sleeps still alive 5 s after the request (— = not all gone). concurrently has no kill timeout; s6 signals the leader only, so the background sleeps stay.',
    '- **S6** children alive 1 s after SIGKILL of the main process (s6-svscan, supervisord, pm2 daemon, concurrently, ignite). The floors have no supervision, so 20.',
    '',
    'Settings: supervisord `startsecs=0`, `autorestart`, `stopasgroup`/`killasgroup`, `stdout_logfile_maxbytes=0`, one `[group]`; s6 one `s6-svscan`, `timeout-kill`, `s6-log -b` for S3; pm2 a private `PM2_HOME` (daemon start included), `restart_delay: 0`, `min_uptime: 0`, `treekill`; concurrently `--raw`, `--restart-tries -1 --restart-after 0`; ignite `ignite up --output plain -c ignite.config.ts`, `restart: { policy: always, backoff: 0, minUptime: 0 }`, `logs.maxSize: 1gb`.',
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
  const history = join(import.meta.dirname, 'history.md');
  if (existsSync(history)) lines.push(readFileSync(history, 'utf8'));
  return lines.join('\n');
}
