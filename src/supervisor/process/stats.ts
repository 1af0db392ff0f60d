/**
 * CPU and memory of whole process groups, from /proc/PID/stat (Linux). One pass
 * over /proc serves every group: ~2 ms for 80 processes. Elsewhere (no /proc)
 * every group reads as absent.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface GroupSample {
  pgid: number;
  /** Percent of one core since the previous sample; 0 on the first, and within 200 ms of it. */
  cpu: number;
  /** RSS in bytes, summed over the group. */
  memory: number;
  processes: number;
  /** utime + stime of the live processes, in clock ticks. */
  ticks: number;
  /** Date.now() when sampled. */
  at: number;
}

/** USER_HZ: `getconf CLK_TCK` is 100 on every Linux ABI Node runs on. */
const TICKS_PER_SECOND = 100;
/** `getconf PAGESIZE`; 4 KiB on x86-64 and most arm64 kernels. */
const PAGE_SIZE = 4096;

export function sampleGroup(pgid: number, previous?: GroupSample): GroupSample | undefined {
  // no process at all (not even a zombie) in the group: skip the /proc scan (the common case while stopping)
  if (groupVanished(pgid)) return undefined;
  const before = new Map<number, GroupSample>();
  if (previous !== undefined) before.set(pgid, previous);
  return scanGroups([pgid], before).get(pgid);
}

/** True when the group has no process left: ESRCH from `kill(-pgid, 0)`, one syscall. */
function groupVanished(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

interface Totals {
  ticks: number;
  pages: number;
  processes: number;
}

/**
 * A full /proc pass serves every caller for this long: a burst of status requests (one per
 * spawn of 100 tasks) costs one pass, not one each. Groups the pass did not see are read from
 * their leader's stat alone until the next pass.
 */
const SCAN_REUSE_MS = 250;
let lastScan: { at: number; totals: Map<number, Totals> } | undefined;

/** Samples many groups in one pass; groups with no live process are absent from the result. */
export function sampleGroups(pgids: Iterable<number>, previous: Map<number, GroupSample>): Map<number, GroupSample> {
  const wanted = [...pgids];
  if (wanted.length === 0) return new Map();
  const at = Date.now();
  if (lastScan === undefined || at - lastScan.at > SCAN_REUSE_MS || at < lastScan.at) {
    lastScan = { at, totals: scanAll() };
  } else {
    for (const pgid of wanted) if (!lastScan.totals.has(pgid)) lastScan.totals.set(pgid, leaderOnly(pgid));
  }
  return toSamples(wanted, lastScan.totals, lastScan.at, previous);
}

/** One exact pass for just these groups (no reuse). */
function scanGroups(pgids: number[], previous: Map<number, GroupSample>): Map<number, GroupSample> {
  return toSamples(pgids, scanAll(), Date.now(), previous);
}

function toSamples(pgids: number[], totals: Map<number, Totals>, at: number, previous: Map<number, GroupSample>): Map<number, GroupSample> {
  const result = new Map<number, GroupSample>();
  for (const pgid of pgids) {
    const total = totals.get(pgid);
    if (total === undefined || total.processes === 0) continue;
    const prior = previous.get(pgid);
    result.set(pgid, {
      pgid,
      cpu: prior?.at === at ? prior.cpu : cpuPercent(total.ticks, at, prior),
      memory: total.pages * PAGE_SIZE,
      processes: total.processes,
      ticks: total.ticks,
      at,
    });
  }
  return result;
}

/** Totals for every process group on the machine, in one pass over /proc. */
function scanAll(): Map<number, Totals> {
  const totals = new Map<number, Totals>();
  for (const entry of listProc()) {
    // only numeric entries are processes; skip the rest without parsing
    const first = entry.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    const text = readStat(entry);
    if (text !== undefined) addProcess(totals, text);
  }
  return totals;
}

function leaderOnly(pgid: number): Totals {
  const totals = new Map<number, Totals>();
  const text = readStat(String(pgid));
  if (text !== undefined) addProcess(totals, text);
  return totals.get(pgid) ?? { ticks: 0, pages: 0, processes: 0 };
}

function addProcess(totals: Map<number, Totals>, text: string): void {
  // after the last ')': " S ppid pgrp ..." (the name may hold spaces and ')')
  const start = text.lastIndexOf(')') + 2;
  if (text.charCodeAt(start) === 90 /* Z: zombie */) return;
  const pgrpAt = text.indexOf(' ', text.indexOf(' ', start) + 1) + 1;
  const pgrp = Number(text.slice(pgrpAt, text.indexOf(' ', pgrpAt)));
  // fields[0] is field 3 (state), so field N is fields[N - 3]
  const fields = text.slice(start).split(' ');
  let total = totals.get(pgrp);
  if (total === undefined) {
    total = { ticks: 0, pages: 0, processes: 0 };
    totals.set(pgrp, total);
  }
  total.ticks += Number(fields[11]) + Number(fields[12]);
  total.pages += Number(fields[21]);
  total.processes++;
}

/**
 * Ticks are 10 ms apart: over a shorter window one tick reads as hundreds of percent (a task
 * sampled right after its start showed 143 %), so such a window reads as a first sample.
 */
const MIN_CPU_WINDOW_MS = 200;

function cpuPercent(ticks: number, at: number, prior: GroupSample | undefined): number {
  if (prior === undefined || at - prior.at < MIN_CPU_WINDOW_MS) return 0;
  const seconds = (at - prior.at) / 1000;
  // a process that left the group takes its ticks with it: never report below 0
  const used = Math.max(0, ticks - prior.ticks) / TICKS_PER_SECOND;
  return seconds > 0 ? Math.round((used / seconds) * 1000) / 10 : 0;
}

function listProc(): string[] {
  try {
    return readdirSync('/proc');
  } catch {
    return [];
  }
}

function readStat(pid: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined; // ended while we looked
  }
}
