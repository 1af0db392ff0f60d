/**
 * Processes that left their task's process group (`setsid`, `setpgid`, a
 * double fork), found by the identity every child inherits in its environment:
 * IGNITE_RUN (one per supervisor), IGNITE_TASK (the instance) and IGNITE_ATTEMPT.
 * One pass over `/proc/<pid>/environ` answers any number of questions. A process
 * that clears or overwrites its environment (setproctitle) is not found.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface Escapee {
  pid: number;
  /** Instance name from its IGNITE_TASK. */
  task: string;
  attempt: number;
  /** Its command line, for messages. */
  command: string;
  /** True when it leads its own process group (it called setsid/setpgid): the group goes with it. */
  groupLeader: boolean;
}

/** Every live process carrying `IGNITE_RUN=<run>` for which `wanted(task, attempt)` holds. */
export function findEscapees(run: string, wanted: (task: string, attempt: number) => boolean): Escapee[] {
  const needle = Buffer.from(`IGNITE_RUN=${run}\0`, 'latin1');
  const found: Escapee[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found; // no /proc: nothing can be found this way
  }
  for (const entry of entries) {
    const first = entry.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const escapee = inspect(pid, needle, wanted);
    if (escapee !== undefined) found.push(escapee);
  }
  return found;
}

function inspect(pid: number, needle: Buffer, wanted: (task: string, attempt: number) => boolean): Escapee | undefined {
  try {
    const environ = readFileSync(`/proc/${pid}/environ`);
    if (!hasEntry(environ, needle)) return undefined;
    const task = valueOf(environ, 'IGNITE_TASK');
    const attempt = Number(valueOf(environ, 'IGNITE_ATTEMPT') ?? '0');
    if (task === undefined || !wanted(task, attempt)) return undefined;
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    // fields: state ppid pgrp session …; a zombie has already died
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    const command = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim() || stat.slice(stat.indexOf('(') + 1, close);
    return { pid, task, attempt, command, groupLeader: Number(fields[2]) === pid };
  } catch {
    return undefined; // it ended while we looked, or is not ours to read
  }
}

/** True when `pid`'s environment carries `IGNITE_RUN=<run>`; false when it is gone or cannot be read. */
export function carriesRun(pid: number, run: string): boolean {
  try {
    return hasEntry(readFileSync(`/proc/${pid}/environ`), Buffer.from(`IGNITE_RUN=${run}\0`, 'latin1'));
  } catch {
    return false;
  }
}

/** True when `needle` (ending in NUL) is a whole entry of the environ block. */
function hasEntry(environ: Buffer, needle: Buffer): boolean {
  let at = environ.indexOf(needle);
  while (at !== -1) {
    if (at === 0 || environ[at - 1] === 0) return true;
    at = environ.indexOf(needle, at + 1);
  }
  // the last entry may lack its NUL
  const bare = needle.subarray(0, needle.length - 1);
  return environ.length >= bare.length && environ.subarray(environ.length - bare.length).equals(bare) &&
    (environ.length === bare.length || environ[environ.length - bare.length - 1] === 0);
}

function valueOf(environ: Buffer, name: string): string | undefined {
  const key = Buffer.from(`${name}=`, 'latin1');
  let at = environ.indexOf(key);
  while (at !== -1 && at !== 0 && environ[at - 1] !== 0) at = environ.indexOf(key, at + 1);
  if (at === -1) return undefined;
  const start = at + key.length;
  const end = environ.indexOf(0, start);
  return environ.toString('utf8', start, end === -1 ? environ.length : end);
}

/** SIGKILLs each escapee (its own group too when it leads one); resolves once they are gone, or after `timeoutMs`. */
export async function killEscapees(escapees: readonly Escapee[], timeoutMs = 1000): Promise<void> {
  for (const escapee of escapees) {
    if (escapee.groupLeader) send(-escapee.pid);
    send(escapee.pid);
  }
  const deadline = Date.now() + timeoutMs;
  let wait = 2;
  while (escapees.some((e) => alive(e.pid)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, 50);
  }
}

function send(target: number): void {
  try {
    process.kill(target, 'SIGKILL');
  } catch {
    // gone already
  }
}

/** Alive and not a zombie (an escapee's new parent may reap it late). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.charAt(stat.lastIndexOf(')') + 2);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
