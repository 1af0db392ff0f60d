// The scenarios of issue 7, each run on any tool adapter. All children are tagged and killed by pid.
import { readFileSync, statSync, existsSync, rmSync } from 'node:fs';
import { makeWork } from './work.mjs';
import { now, delay, waitUntil, countFiles, taggedPids, alive, killAll, pss, cpuSeconds, scratch, median } from './lib.mjs';

let serial = 0;
const tagFor = (tool, scenario) => `${tool.name}-${scenario}-${process.pid}-${serial++}`;

async function finish(tool, handle, work) {
  killAll(taggedPids(work.tag));
  handle.cleanup?.();
  try {
    handle.proc.kill('SIGKILL');
  } catch {
    // gone
  }
  await delay(50);
  rmSync(work.dir, { recursive: true, force: true });
}

async function waitGone(pids, timeoutMs) {
  return waitUntil(() => pids.every((pid) => !alive(pid)), { timeoutMs, step: 2 });
}

/** S1: start 100 children until each has written its marker; then stop them all. */
export async function s1(tool) {
  const work = makeWork(scratch('s1'), tagFor(tool, 's1'), 100, 'idle');
  const t0 = now();
  const handle = tool.launch(work, {});
  const started = await waitUntil(() => countFiles(work.markers) === 100, { timeoutMs: 60_000, step: 1 });
  const startMs = started === undefined ? undefined : now() - t0;
  const children = taggedPids(work.tag);
  const t1 = now();
  handle.stop();
  const stopped = await waitGone(children, 30_000);
  const stopMs = stopped === undefined ? undefined : now() - t1;
  await finish(tool, handle, work);
  return { startMs, stopMs };
}

/** S2: the supervisor's own PSS and CPU with 100 idle children over 20 s. */
export async function s2(tool, seconds = 20) {
  const work = makeWork(scratch('s2'), tagFor(tool, 's2'), 100, 'idle');
  const handle = tool.launch(work, {});
  await waitUntil(() => countFiles(work.markers) === 100, { timeoutMs: 60_000 });
  await delay(2000);
  const cpu0 = cpuSeconds(handle.pids());
  await delay(seconds * 1000);
  const cpu = cpuSeconds(handle.pids()) - cpu0;
  const memory = pss(handle.pids());
  handle.stop();
  await waitGone(taggedPids(work.tag), 15_000);
  await finish(tool, handle, work);
  return { pssMB: memory / 1024 / 1024, cpuS: cpu };
}

/** S3: one child prints 500,000 lines of 100 bytes; time until all are in the log file, lines lost. */
export async function s3(tool, lines = 500_000) {
  const work = makeWork(scratch('s3'), tagFor(tool, 's3'), 1, 'flood', { lines });
  const t0 = now();
  const handle = tool.launch(work, { logs: true });
  const file = handle.logFile('c0');
  const expected = lines * 100;
  const size = () => (existsSync(file) ? statSync(file).size : 0);
  let done = await waitUntil(() => size() >= expected, { timeoutMs: 60_000, step: 2 });
  const ms = done === undefined ? undefined : now() - t0;
  await delay(300);
  const content = existsSync(file) ? readFileSync(file, 'latin1') : '';
  const seen = new Set();
  for (const match of content.matchAll(/(\d{7}) x{91}$/gm)) seen.add(match[1]);
  handle.stop();
  await finish(tool, handle, work);
  done = undefined;
  return { ms, lost: lines - seen.size };
}

/** S4: respawn latency with zero backoff: median gap between consecutive spawns of a crashing child. */
export async function s4(tool, spawns = 40) {
  const work = makeWork(scratch('s4'), tagFor(tool, 's4'), 1, 'crash');
  const handle = tool.launch(work, { restart: 'always' });
  const stamps = () => {
    try {
      return readFileSync(`${work.dir}/stamps`, 'utf8').trim().split('\n').map(Number);
    } catch {
      return [];
    }
  };
  await waitUntil(() => stamps().length >= spawns, { timeoutMs: 10_000, step: 5 });
  const values = stamps();
  handle.stop();
  await finish(tool, handle, work);
  const gaps = values.slice(1).map((v, i) => (v - (values[i] ?? v)) / 1e6);
  return { respawnMs: gaps.length > 0 ? median(gaps) : undefined, spawns: values.length };
}

/** S5: stop 20 TERM-ignoring children with a 1 s stop timeout. */
export async function s5(tool) {
  const work = makeWork(scratch('s5'), tagFor(tool, 's5'), 20, 'stubborn');
  const handle = tool.launch(work, { stopTimeoutMs: 1000 });
  await waitUntil(() => countFiles(work.markers) === 20, { timeoutMs: 60_000 });
  const children = taggedPids(work.tag);
  const t0 = now();
  handle.stop();
  const stopped = await waitGone(children, 15_000);
  const ms = stopped === undefined ? undefined : now() - t0;
  const left = children.filter(alive).length;
  await finish(tool, handle, work);
  return { stopMs: ms, left };
}

/** S6: children alive 1 s after the supervisor is SIGKILLed. */
export async function s6(tool) {
  const work = makeWork(scratch('s6'), tagFor(tool, 's6'), 20, 'idle');
  const handle = tool.launch(work, {});
  await waitUntil(() => countFiles(work.markers) === 20, { timeoutMs: 60_000 });
  const children = taggedPids(work.tag);
  handle.kill9();
  await delay(1000);
  const aliveCount = children.filter(alive).length;
  await finish(tool, handle, work);
  return { alive: aliveCount };
}
