import { readFileSync, readdirSync } from 'node:fs';

/** The tag every process started by this test run carries in its environment. */
export const RUN_TAG_VAR = 'IGNITE_TEST_RUN';

export interface TaggedProcess {
  pid: number;
  zombie: boolean;
  cmdline: string;
}

/** Every live process whose environment carries `VAR=value`, however deep it went. */
export function findTagged(value: string, variable = RUN_TAG_VAR): TaggedProcess[] {
  const needle = `${variable}=${value}`;
  const found: TaggedProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
      if (!environ.includes(needle)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
      found.push({ pid, zombie: state === 'Z', cmdline });
    } catch {
      // the process ended while we looked, or is not ours to read
    }
  }
  return found;
}

export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export function killTagged(value: string, variable = RUN_TAG_VAR): number[] {
  const pids = findTagged(value, variable).filter((p) => !p.zombie).map((p) => p.pid);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pids;
}
