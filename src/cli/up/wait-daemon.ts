import { readFile, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ControlClient, InfoResponse } from '../../control/index.js';
import { pollUntil } from '../../util/poll.js';

type Control = typeof import('../../control/index.js');

export type Connected =
  | { ok: true; client: ControlClient }
  | { ok: false; message: string; code: number | undefined; exitCode?: number }
  /** The socket is served by another supervisor (a concurrent `up`), not the daemon spawned. */
  | { ok: false; other: InfoResponse };

/**
 * Waits until the daemon's control socket answers (backing off, bounded by
 * `timeoutMs`); gives up at once when the daemon exits. A socket that answers for a
 * supervisor other than `pid` (two `up -d` at once: the other one won, and this
 * daemon exits as "already running") is that other stack, not ours.
 */
export async function waitForSupervisor(control: Control, stateDir: string, daemon: { pid: number | undefined; exited: Promise<number> }, timeoutMs: number): Promise<Connected> {
  let exitCode: number | undefined;
  void daemon.exited.then((code) => {
    exitCode = code;
  });
  const answer = await pollUntil<Connected>(async () => {
    const client = await control.ControlClient.connect(stateDir);
    if (client.ok) return whose(client.value, daemon.pid);
    if (exitCode === undefined) return undefined;
    return { ok: false, message: `the background supervisor exited (code ${exitCode}) before it was ready`, code: exitCode === 0 ? 1 : exitCode, exitCode };
  }, timeoutMs, daemon.exited);
  return answer ?? { ok: false, message: `the background supervisor did not answer within ${timeoutMs / 1000}s`, code: undefined };
}

/** The client when the socket is our daemon's (or it cannot say), else what the one it is says of itself. */
function whose(client: ControlClient, pid: number | undefined): Connected {
  const answering = client.supervisor;
  if (pid === undefined || answering === undefined || answering.pid === pid) return { ok: true, client };
  return { ok: false, other: answering };
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
