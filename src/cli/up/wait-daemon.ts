import { readFile, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ControlClient } from '../../control/index.js';
import { pollUntil } from '../../util/poll.js';

type Control = typeof import('../../control/index.js');

export type Connected = { ok: true; client: ControlClient } | { ok: false; message: string; code: number | undefined; exitCode?: number };

/**
 * Waits until the daemon's control socket answers (backing off, bounded by
 * `timeoutMs`); gives up at once when the daemon exits.
 */
export async function waitForSupervisor(control: Control, stateDir: string, exited: Promise<number>, timeoutMs: number): Promise<Connected> {
  let exitCode: number | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const answer = await pollUntil<Connected>(async () => {
    const client = await control.ControlClient.connect(stateDir);
    if (client.ok) return { ok: true, client: client.value };
    if (exitCode === undefined) return undefined;
    return { ok: false, message: `the background supervisor exited (code ${exitCode}) before it was ready`, code: exitCode === 0 ? 1 : exitCode, exitCode };
  }, timeoutMs, exited);
  return answer ?? { ok: false, message: `the background supervisor did not answer within ${timeoutMs / 1000}s`, code: undefined };
}

/**
 * The last `count` lines of the daemon's log, for when it died early: from its own
 * `--- ignite PID starting` line on, when it wrote one (the log holds earlier runs too).
 */
export async function tailLog(file: string, count: number, pid: number | undefined): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const lines = text.split('\n').filter((line) => line !== '');
  const start = pid === undefined ? -1 : lines.findLastIndex((line) => line.startsWith(`--- ignite ${pid} starting`));
  return lines.slice(Math.max(start + 1, lines.length - count)).map((line) => `  ${line}\n`).join('');
}

/**
 * Why a daemon that died early left nothing in its log: the disk holding it is full (no
 * block or no inode left for it), or it wrote nothing there.
 */
export async function silentLogReason(file: string): Promise<string> {
  const disk = await statfs(dirname(file)).catch(() => undefined);
  if (disk !== undefined && (disk.bavail === 0 || (disk.files > 0 && disk.ffree === 0))) return `its log ${file} could not be written: the disk holding it is full`;
  return `nothing in its log ${file}`;
}
