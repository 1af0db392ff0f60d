// The scenarios of issue 7, each run on any tool adapter. Every process is found by pid
// (the tool's own tree, the work's tagged children) and killed when the scenario ends.
import { openSync, readSync, closeSync, readFileSync, statSync, rmSync } from 'node:fs';
import { makeWork } from './work.mjs';
import { now, delay, waitUntil, countFiles, taggedPids, treeOf, alive, killAll, pss, cpuSeconds, scratch, median } from './lib.mjs';

let serial = 0;
const tagFor = (tool, scenario) => `${tool.name}-${scenario}-${process.pid}-${serial++}`;
const children = (work) => taggedPids(work.tag, work.dir);
/** The supervisor's own processes: its roots and their descendants that are not the work's children. */
export const ownPids = (handle, work) => treeOf(handle.roots(), children(work));

function quietly(fn) {
  try {
    fn();
  } catch {
    // already gone
  }
}

async function finish(handle, work, snapshot = []) {
  // the supervisor first (so nothing respawns), then the children, then anything left
  killAll([...new Set([...snapshot, ...treeOf(handle.roots())])]);
  quietly(() => handle.proc.kill('SIGKILL'));
  quietly(() => handle.cleanup?.());
  killAll(children(work));
  await waitUntil(() => children(work).length === 0 && snapshot.every((pid) => !alive(pid)), { timeoutMs: 5000, step: 10 });
  killAll(children(work));
  rmSync(work.dir, { recursive: true, force: true });
}

const waitGone = (pids, timeoutMs) => waitUntil(() => pids.every((pid) => !alive(pid)), { timeoutMs, step: 1 });
const allMarkers = (work, count, timeoutMs = 60_000) => waitUntil(() => countFiles(work.markers) === count, { timeoutMs, step: 1 });

/** S1: start 100 children (from launching the tool) until each has written its marker; then stop them all. */
export async function s1(tool) {
  const work = makeWork(scratch('s1'), tagFor(tool, 's1'), 100, 'idle');
  const t0 = now();
  const handle = tool.launch(work, {});
  const started = await allMarkers(work, 100);
  const startMs = started === undefined ? undefined : now() - t0;
  await delay(200); // let the tool settle (ready states, output) before asking it to stop
  const snapshot = ownPids(handle, work);
  const pids = children(work);
  const t1 = now();
  quietly(() => handle.stop());
  const stopped = await waitGone(pids, 30_000);
  const stopMs = stopped === undefined ? undefined : now() - t1;
  await finish(handle, work, snapshot);
  return { startMs, stopMs };
}

/** S2: the supervisor's own PSS and CPU (all its processes, not the children) with 100 idle children over `seconds`. */
export async function s2(tool, seconds = 20) {
  const work = makeWork(scratch('s2'), tagFor(tool, 's2'), 100, 'idle');
  const handle = tool.launch(work, {});
  await allMarkers(work, 100);
  await delay(2000);
  const own = ownPids(handle, work);
  const cpu0 = cpuSeconds(own);
  await delay(seconds * 1000);
  const cpu = ((cpuSeconds(own) - cpu0) * 20) / seconds;
  const memory = pss(ownPids(handle, work));
  await finish(handle, work, own);
  return { pssMB: memory / 1024 / 1024, cpuS: cpu };
}

const LINE_PAD = 'x'.repeat(91);

/** Reads the last `bytes` of a file (cheap progress check on a 50 MB log). */
function tail(file, bytes = 256) {
  try {
    const size = statSync(file).size;
    const fd = openSync(file, 'r');
    const buffer = Buffer.alloc(Math.min(bytes, size));
    readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    closeSync(fd);
    return { size, text: buffer.toString('latin1') };
  } catch {
    return { size: 0, text: '' };
  }
}

/** Lines that are exactly a line the child printed (no prefix, no timestamp), counted once each. */
export function countExactLines(content, lines) {
  const seen = new Uint8Array(lines);
  let exact = 0;
  let other = 0;
  for (const line of content.split('\n')) {
    if (line === '') continue;
    const n = line.length === 99 && line.endsWith(LINE_PAD) && line[7] === ' ' ? Number(line.slice(0, 7)) : NaN;
    if (Number.isInteger(n) && n < lines && seen[n] === 0) {
      seen[n] = 1;
      exact++;
    } else other++;
  }
  return { exact, other };
}

/** S3: one child prints `lines` lines of 100 bytes; time from launch until all are in the log file; lines lost. */
export async function s3(tool, lines = 500_000) {
  const work = makeWork(scratch('s3'), tagFor(tool, 's3'), 1, 'flood', { lines });
  const last = `${String(lines - 1).padStart(7, '0')} ${LINE_PAD}\n`;
  const t0 = now();
  const handle = tool.launch(work, { logs: true });
  const file = handle.logFile('c0');
  let lastSize = -1;
  let stillSince = now();
  let complete = false;
  // done when the last line is in the file; given up when the file stops growing for 3 s
  await waitUntil(
    () => {
      const { size, text } = tail(file);
      if (text.endsWith(last)) return (complete = true);
      if (size !== lastSize) [lastSize, stillSince] = [size, now()];
      return size > 0 && now() - stillSince > 3000;
    },
    { timeoutMs: 60_000, step: 1 },
  );
  const ms = complete ? now() - t0 : undefined;
  await delay(200);
  const { exact, other } = countExactLines(readFileSync(file, 'latin1'), lines);
  const snapshot = ownPids(handle, work);
  quietly(() => handle.stop());
  await finish(handle, work, snapshot);
  return { ms, lost: lines - exact, foreign: other };
}

/** S4: respawn latency with zero backoff: median gap between consecutive spawns of a crashing child. */
export async function s4(tool, spawns = 40, budgetMs = 8000) {
  const work = makeWork(scratch('s4'), tagFor(tool, 's4'), 1, 'crash');
  const handle = tool.launch(work, { restart: 'always' });
  const stamps = () => {
    try {
      return readFileSync(`${work.dir}/stamps`, 'utf8').trim().split('\n').map(Number);
    } catch {
      return [];
    }
  };
  // tools with a respawn floor (s6: 1 s) get a time budget rather than a count
  await waitUntil(() => stamps().length >= spawns, { timeoutMs: budgetMs, step: 5 });
  const snapshot = ownPids(handle, work);
  const values = stamps();
  quietly(() => handle.stop());
  await finish(handle, work, snapshot);
  // the first gaps include the tool's warm-up; keep the steady state
  const gaps = values.slice(1).map((v, i) => (v - values[i]) / 1e6).slice(values.length > 10 ? 3 : 0);
  return { respawnMs: gaps.length > 0 ? median(gaps) : undefined, spawns: values.length };
}

/** S5: stop 20 TERM-ignoring children with a 1 s stop timeout; children (and their own children) left. */
export async function s5(tool) {
  const work = makeWork(scratch('s5'), tagFor(tool, 's5'), 20, 'stubborn');
  const handle = tool.launch(work, { stopTimeoutMs: 1000 });
  await allMarkers(work, 20);
  await delay(200);
  const snapshot = ownPids(handle, work);
  const pids = children(work);
  const t0 = now();
  quietly(() => handle.stop());
  const stopped = await waitGone(pids, 5000);
  const ms = stopped === undefined ? undefined : now() - t0;
  const left = pids.filter(alive).length;
  await finish(handle, work, snapshot);
  return { stopMs: ms, left };
}

/** S6: children alive 1 s after the supervisor (its main process) is SIGKILLed. */
export async function s6(tool) {
  const work = makeWork(scratch('s6'), tagFor(tool, 's6'), 20, 'idle');
  const handle = tool.launch(work, {});
  await allMarkers(work, 20);
  await delay(200);
  const snapshot = ownPids(handle, work);
  const pids = children(work);
  quietly(() => handle.kill9());
  await delay(1000);
  const aliveCount = pids.filter(alive).length;
  await finish(handle, work, snapshot);
  return { alive: aliveCount };
}
