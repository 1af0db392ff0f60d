/**
 * The supervisor `up -d` has spawned but whose socket does not answer yet. It is
 * recorded (pid and start time) until the socket is up, so that a `down` in that
 * window waits for it instead of calling the stack "not running" and missing it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDir, removeQuietly, writeFileAtomic } from './fs-util.js';
import { runDir } from './paths.js';
import { isSameProcess, processStartTime } from './proc.js';

const startingFile = (stateDir: string): string => join(runDir(stateDir), 'starting.json');

export async function markStarting(stateDir: string, pid: number): Promise<void> {
  const startTime = processStartTime(pid);
  const dir = await ensurePrivateDir(runDir(stateDir));
  if (startTime === undefined || !dir.ok) return;
  await writeFileAtomic(startingFile(stateDir), JSON.stringify({ pid, startTime })).catch(() => undefined);
}

/** The supervisor serves its socket now (or never will): nothing to wait for. */
export function clearStarting(stateDir: string): Promise<void> {
  return removeQuietly(startingFile(stateDir));
}

/** The pid of a recorded supervisor that still runs (the same process: start time checked), else undefined. */
export async function startingSupervisor(stateDir: string): Promise<number | undefined> {
  const text = await readFile(startingFile(stateDir), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const { pid, startTime } = JSON.parse(text) as { pid: unknown; startTime: unknown };
    return typeof pid === 'number' && typeof startTime === 'number' && isSameProcess(pid, startTime) ? pid : undefined;
  } catch {
    return undefined;
  }
}
