// Shared helpers for the benchmark: time, /proc readings, waiting on markers.
import { readFileSync, readdirSync, existsSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const now = () => Number(process.hrtime.bigint()) / 1e6;
export const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const scratch = (name) => mkdtempSync(join(tmpdir(), `ignite-bench-${name}-`));

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Polls `check` every `step` ms until it returns true or `timeoutMs` passes; returns the elapsed ms or undefined. */
export async function waitUntil(check, { timeoutMs = 30_000, step = 2 } = {}) {
  const start = now();
  while (now() - start < timeoutMs) {
    if (check()) return now() - start;
    await delay(step);
  }
  return undefined;
}

export const countFiles = (dir) => (existsSync(dir) ? readdirSync(dir).length : 0);

export function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** pid → { ppid, cmdline } for every live (non-zombie) process. */
export function processTable() {
  const table = new Map();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      table.set(pid, { ppid: Number(fields[1]), cmdline: readFileSync(`/proc/${pid}/cmdline`, 'latin1') });
    } catch {
      // gone
    }
  }
  return table;
}

/**
 * The work's children: every live pid whose environment has BENCH_TAG=tag (what the
 * scripts exec or fork) or that runs one of the work's scripts (the `sh` itself,
 * whose environ does not show the exported tag).
 */
export function taggedPids(tag, scriptDir) {
  const pids = [];
  for (const [pid, { cmdline }] of processTable()) {
    const argv = cmdline.split('\0');
    if (scriptDir !== undefined && argv.length <= 3 && argv[1]?.startsWith(`${scriptDir}/c`) && argv[1].endsWith('.sh')) {
      pids.push(pid);
      continue;
    }
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`BENCH_TAG=${tag}`)) pids.push(pid);
    } catch {
      // gone or not readable
    }
  }
  return pids;
}

/** The roots and all their live descendants, minus the given pids (the work's own children). */
export function treeOf(roots, exclude = []) {
  const table = processTable();
  const skip = new Set(exclude);
  const children = new Map();
  for (const [pid, { ppid }] of table) {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  const out = new Set();
  const stack = roots.filter((pid) => table.has(pid));
  while (stack.length > 0) {
    const pid = stack.pop();
    if (out.has(pid)) continue;
    out.add(pid);
    for (const child of children.get(pid) ?? []) stack.push(child);
  }
  return [...out].filter((pid) => !skip.has(pid));
}

export function killAll(pids) {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Proportional set size in bytes (smaps_rollup), summed over the given pids. */
export function pss(pids) {
  let total = 0;
  for (const pid of pids) {
    try {
      const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1'));
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // gone
    }
  }
  return total;
}

/** CPU seconds (user+system) used so far by the given pids themselves. */
export function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks / 100; // CLK_TCK is 100 on Linux
}

export const has = (binary) => spawnSync('sh', ['-c', 'command -v "$0"', binary]).status === 0;

export function version(argv) {
  const result = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`.trim().split('\n')[0] ?? '?';
}

/**
 * The handle of a tool that is one foreground process: stopped with TERM, killed with KILL,
 * its log for a child at `logFile(name)` (default: the child's file in the work's log folder).
 */
export function singleProcess(child, work, logFile = (name) => join(work.logDir, `${name}.log`)) {
  return {
    proc: child,
    roots: () => [child.pid],
    logFile,
    stop: () => child.kill('SIGTERM'),
    kill9: () => child.kill('SIGKILL'),
  };
}
