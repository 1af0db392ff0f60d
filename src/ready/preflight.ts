/**
 * Before a task starts: could its ready check pass on someone else's account? A port
 * its tcp/http check probes may already be listened on (a second copy, a leftover, a
 * system service), or the file its file check waits for may be left from an earlier
 * run; the task would be reported ready although it did nothing. Listening sockets
 * come from /proc/net/tcp and tcp6; their owner, looked up only when one is found,
 * from /proc/PID/fd.
 */
import { readFile, readdir, readlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { leafChecks, type ReadySpec } from '../core/ready-spec.js';

export interface PortHolder {
  port: number;
  /** Undefined when the owner cannot be seen (another user's process, say). */
  pid: number | undefined;
  command: string | undefined;
}

/** The ports on this machine that `spec` probes: tcp and http checks, through all/any. */
export function probedPorts(spec: ReadySpec | undefined): number[] {
  const ports = leafChecks(spec).flatMap((leaf) => {
    if (leaf.kind === 'tcp') return leaf.host === undefined || isLocal(leaf.host) ? [leaf.port] : [];
    return leaf.kind === 'http' ? httpPort(leaf.url) : [];
  });
  return [...new Set(ports)];
}

/** The files `spec`'s file checks wait for, through all/any, resolved against the task's folder. */
export function awaitedFiles(spec: ReadySpec | undefined, cwd: string): string[] {
  return leafChecks(spec).flatMap((leaf) => (leaf.kind === 'file' ? [resolve(cwd, leaf.path)] : []));
}

/** Which of `ports` something already listens on, and who. */
export async function portHolders(ports: readonly number[]): Promise<PortHolder[]> {
  if (ports.length === 0) return [];
  const listening = new Map<number, string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(file, 'latin1').catch(() => '');
    for (const [port, inode] of listeners(text)) if (ports.includes(port)) listening.set(port, inode);
  }
  if (listening.size === 0) return [];
  const owners = await socketOwners(new Set(listening.values()));
  return [...listening].map(([port, inode]) => ({ port, ...(owners.get(inode) ?? { pid: undefined, command: undefined }) }));
}

/** `port 5432 is already in use by pid 812 (postgres)`. */
export function describeHolder(holder: PortHolder): string {
  const who = holder.pid === undefined ? 'another process' : `pid ${holder.pid}${holder.command === undefined ? '' : ` (${holder.command})`}`;
  return `port ${holder.port} is already in use by ${who}`;
}

function isLocal(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || bare === '::' || bare === '0.0.0.0' || bare.startsWith('127.');
}

function httpPort(url: string): number[] {
  try {
    const parsed = new URL(url);
    if (!isLocal(parsed.hostname)) return [];
    return [parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port)];
  } catch {
    return [];
  }
}

/** [port, socket inode] of each LISTEN line of /proc/net/tcp(6). */
function* listeners(text: string): Generator<[number, string]> {
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    // sl local_address rem_address st … inode (field 9); st 0A is LISTEN
    if (fields[3] !== '0A') continue;
    const port = parseInt(fields[1]?.split(':')[1] ?? '', 16);
    const inode = fields[9];
    if (Number.isInteger(port) && inode !== undefined) yield [port, inode];
  }
}

/** The process holding each socket inode, scanning /proc/PID/fd until all are found. */
async function socketOwners(inodes: ReadonlySet<string>): Promise<Map<string, { pid: number; command: string | undefined }>> {
  const owners = new Map<string, { pid: number; command: string | undefined }>();
  const wanted = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  for (const entry of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    for (const fd of await readdir(`/proc/${entry}/fd`).catch(() => [])) {
      const target = await readlink(`/proc/${entry}/fd/${fd}`).catch(() => '');
      if (!wanted.has(target)) continue;
      const command = (await readFile(`/proc/${entry}/comm`, 'latin1').catch(() => '')).trim();
      owners.set(target.slice(8, -1), { pid: Number(entry), command: command === '' ? undefined : command });
      wanted.delete(target);
      if (wanted.size === 0) return owners;
    }
  }
  return owners;
}
