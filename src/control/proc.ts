import { readFileSync, readdirSync } from 'node:fs';

export interface ProcStat {
  state: string;
  pgrp: number;
  /** Field 22: clock ticks since boot when the process started. */
  startTime: number;
}

/** Fields of `/proc/PID/stat`; undefined when the process does not exist (or this is not Linux). */
export function readProcStat(pid: number): ProcStat | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const pgrp = Number(fields[2]);
  const startTime = Number(fields[19]);
  if (state === undefined || !Number.isFinite(pgrp) || !Number.isFinite(startTime)) return undefined;
  return { state, pgrp, startTime };
}

/** The start time of `pid` in clock ticks since boot: with the pid, it names one process for good. */
export function processStartTime(pid: number): number | undefined {
  return readProcStat(pid)?.startTime;
}

/** Whether `pid` is the very process that started at `startTime` (and not a zombie). */
export function isSameProcess(pid: number, startTime: number): boolean {
  const stat = readProcStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.startTime === startTime;
}

/** Whether any live (non-zombie) process is in process group `pgid`. */
export function groupHasMembers(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    // EPERM: members exist but belong to someone else — not ours to judge, treat as present
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
  // kill(0) also counts zombies; look closer only when it says yes.
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readProcStat(pid);
    if (stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z') return true;
  }
  return false;
}

/** `__SO_ACCEPTCON` in the Flags column of /proc/net/unix: the socket listens. */
const ACCEPTING = 0x10000;
const UNIX_LINE = /^[0-9a-f]+: [0-9a-f]+ [0-9a-f]+ ([0-9a-f]+) [0-9a-f]+ [0-9a-f]+ \d+ (.+)$/i;

/**
 * Whether a server listens on the Unix socket bound at `path`, from /proc/net/unix
 * (readable by anyone, so it answers for a socket in another user's 0700 folder);
 * undefined where that file cannot be read (not Linux).
 */
export function unixSocketListening(path: string): boolean | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/net/unix', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const match = UNIX_LINE.exec(line);
    if (match?.[2] === path && (Number.parseInt(match[1] ?? '0', 16) & ACCEPTING) !== 0) return true;
  }
  return false;
}
