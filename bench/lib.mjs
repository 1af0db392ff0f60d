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

/** Every live pid whose environment has BENCH_TAG=tag (the children the bench started). */
export function taggedPids(tag) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`BENCH_TAG=${tag}`) && alive(pid)) pids.push(pid);
    } catch {
      // gone or not readable
    }
  }
  return pids;
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
