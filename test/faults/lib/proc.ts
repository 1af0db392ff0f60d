/**
 * What /proc says about processes: tagged ones however deep they went, zombies,
 * start times (to tell a reused pid from ours) and RSS.
 */
import { readFileSync, readdirSync } from 'node:fs';

export const TAG_VAR = 'IGNITE_FAULT_TAG';

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  state: string;
  cmdline: string;
}

/** Fields of /proc/PID/stat after the command name (index 0 is the state). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

export function procInfo(pid: number): ProcInfo | undefined {
  const fields = statFields(pid);
  if (fields === undefined) return undefined;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
  } catch {
    // gone meanwhile
  }
  return {
    pid,
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    sid: Number(fields[3]),
    cmdline,
  };
}

/** Alive and not a zombie. */
export function isLive(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** Start time in clock ticks since boot (field 22 of stat), undefined when gone. */
export function startTime(pid: number): number | undefined {
  const value = statFields(pid)?.[19];
  return value === undefined ? undefined : Number(value);
}

/** Resident set size in bytes (VmRSS), undefined when gone. */
export function rssBytes(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** Every process (zombies included) whose environment carries `TAG_VAR=tag`. */
export function findTagged(tag: string): ProcInfo[] {
  const needle = `${TAG_VAR}=${tag}`;
  const found: ProcInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue;
    }
    if (!environ.split('\0').includes(needle)) continue;
    const info = procInfo(pid);
    if (info !== undefined) found.push(info);
  }
  return found;
}

export const liveTagged = (tag: string): ProcInfo[] => findTagged(tag).filter((p) => p.state !== 'Z' && p.state !== 'X');
/**
 * Zombies left unreaped by a tagged process. A zombie's environ is empty (its memory
 * is gone), so it is found through its parent: every zombie whose parent is tagged.
 */
export function zombiesTagged(tag: string): ProcInfo[] {
  const parents = new Set(findTagged(tag).map((p) => p.pid));
  const zombies: ProcInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const fields = statFields(pid);
    if (fields?.[0] !== 'Z' || !parents.has(Number(fields[1]))) continue;
    const info = procInfo(pid);
    if (info !== undefined) zombies.push(info);
  }
  return zombies;
}

/** Live processes whose process group is `pgid`. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const fields = statFields(pid);
    if (fields !== undefined && Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(pid);
  }
  return members;
}

export function signal(target: number, name: NodeJS.Signals | 0): boolean {
  try {
    process.kill(target, name);
    return true;
  } catch {
    return false;
  }
}

export function describe(procs: ProcInfo[]): string {
  return procs.map((p) => `  ${p.pid} [${p.state}] ppid=${p.ppid} pgid=${p.pgid} ${p.cmdline}`).join('\n');
}
