/** What validation asks of the machine it runs on, injectable so tests need no particular machine. */
import { readFileSync, statSync } from 'node:fs';
import { cpus as osCpus } from 'node:os';
import { groupId, userId, type AccountId } from '../util/accounts.js';

export interface Host {
  /** ignite's own ids; undefined where the platform has none. */
  uid: number | undefined;
  gid: number | undefined;
  userId(user: string | number): AccountId;
  groupId(group: string | number): AccountId;
  /** The CPU ids a task may be pinned to, and how to name them (`0-3,6`). */
  cpus(): { ids: ReadonlySet<number>; text: string };
  pathKind(path: string): 'folder' | 'other' | 'missing';
}

/** The real machine; each lookup is made at most once. */
export function systemHost(): Host {
  return {
    uid: process.getuid?.(),
    gid: process.getgid?.(),
    userId: once(userId),
    groupId: once(groupId),
    cpus: () => onlineCpus(),
    pathKind,
  };
}

function once<K, V>(lookup: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, lookup(key));
    return cache.get(key) as V;
  };
}

function pathKind(path: string): 'folder' | 'other' | 'missing' {
  try {
    const stat = statSync(path, { throwIfNoEntry: false });
    return stat === undefined ? 'missing' : stat.isDirectory() ? 'folder' : 'other';
  } catch {
    return 'missing';
  }
}

/** Linux lists the CPUs that are online (`0-3,6`); elsewhere, 0 to the count minus one. */
function onlineCpus(): { ids: ReadonlySet<number>; text: string } {
  let text: string;
  try {
    text = readFileSync('/sys/devices/system/cpu/online', 'utf8').trim();
  } catch {
    const count = Math.max(1, osCpus().length);
    text = count === 1 ? '0' : `0-${count - 1}`;
  }
  return { ids: parseCpuList(text), text };
}

/** `0-3,6` → {0, 1, 2, 3, 6}. */
export function parseCpuList(text: string): Set<number> {
  const ids = new Set<number>();
  for (const part of text.split(',')) {
    const [from, to = from] = part.split('-').map(Number);
    if (from === undefined || to === undefined || !Number.isInteger(from) || !Number.isInteger(to)) continue;
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return ids;
}
