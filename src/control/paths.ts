import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** sun_path is 108 bytes on Linux (104 on macOS), including the terminating NUL. */
const MAX_SOCKET_BYTES = process.platform === 'linux' ? 107 : 103;

export const runDir = (stateDir: string): string => join(resolve(stateDir), 'run');
export const defaultSocketPath = (stateDir: string): string => join(runDir(stateDir), 'control.sock');
export const pointerFile = (stateDir: string): string => join(runDir(stateDir), 'control.path');
export const stateFilePath = (stateDir: string): string => join(runDir(stateDir), 'state.json');

export const fitsSocketLimit = (path: string): boolean => Buffer.byteLength(path) <= MAX_SOCKET_BYTES;

/** A private directory under the temp dir, named from the user and a hash of the state dir. */
export function fallbackSocketDir(stateDir: string): string {
  const hash = createHash('sha256').update(resolve(stateDir)).digest('hex').slice(0, 16);
  const uid = process.getuid?.() ?? 0;
  return join(tmpdir(), `ignite-${uid}-${hash}`);
}

export interface SocketLocation {
  path: string;
  /** The private directory holding the socket (0700). */
  dir: string;
  fallback: boolean;
}

export function socketLocation(stateDir: string): SocketLocation {
  const path = defaultSocketPath(stateDir);
  if (fitsSocketLimit(path)) return { path, dir: runDir(stateDir), fallback: false };
  const dir = fallbackSocketDir(stateDir);
  return { path: join(dir, 'control.sock'), dir, fallback: true };
}

/** Where a client finds the socket: the default path, or the one the pointer file records. */
export async function findSocketPath(stateDir: string): Promise<string> {
  const location = socketLocation(stateDir);
  if (!location.fallback) return location.path;
  const recorded = await readFile(pointerFile(stateDir), 'utf8').catch(() => undefined);
  const trimmed = recorded?.trim();
  return trimmed !== undefined && trimmed !== '' ? trimmed : location.path;
}
