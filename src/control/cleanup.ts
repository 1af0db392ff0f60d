import { sleep } from '../util/abort.js';
import { removeQuietly } from './fs-util.js';
import { pointerFile, stateFilePath } from './paths.js';
import { findSocketPath } from './paths.js';
import { probeSocket } from './probe.js';
import { groupHasMembers, isSameProcess, readProcStat } from './proc.js';
import { inspectStateFile, removeStateFile, type StateChild } from './state-file.js';

export interface CleanupReport {
  /** The recorded children that were still running and were stopped. */
  cleaned: { task: string; pid: number }[];
  /** The recorded supervisor still runs: nothing was touched. */
  supervisorAlive: boolean;
  /** The state file was there but unreadable (why): what it recorded could not be stopped. It is removed. */
  damaged?: string;
}

export interface CleanupOptions {
  /** Time between SIGTERM and SIGKILL. */
  graceMs?: number;
}

/**
 * Stops the children of a supervisor that died without cleaning up, as
 * recorded in the state file, then removes the state file and a stale socket.
 * A pid that now belongs to another process (its start time differs) is left alone.
 */
export async function cleanupStale(stateDir: string, options: CleanupOptions = {}): Promise<CleanupReport> {
  const { state, damaged } = await inspectStateFile(stateDir);
  const alive =
    state !== undefined
      ? isSameProcess(state.supervisorPid, state.supervisorStart)
      : // no record of who wrote it: a supervisor that answers on the socket still owns it
        damaged !== undefined && (await probeSocket(await findSocketPath(stateDir))) === 'live';
  if (alive) return { cleaned: [], supervisorAlive: true };
  const targets = (state?.children ?? []).filter(stillOurs);
  for (const child of targets) signalGroup(child.pgid, 'SIGTERM');
  await waitGroupsGone(targets, options.graceMs ?? 2000);
  for (const child of targets) if (groupHasMembers(child.pgid)) signalGroup(child.pgid, 'SIGKILL');
  if (state !== undefined || damaged !== undefined) await removeStateFile(stateDir);
  await removeStaleSocket(stateDir);
  const cleaned = targets.map((child) => ({ task: child.task, pid: child.pid }));
  return damaged === undefined ? { cleaned, supervisorAlive: false } : { cleaned, supervisorAlive: false, damaged: `${stateFilePath(stateDir)} (${damaged})` };
}

/** The recorded children still running after their supervisor died (nothing while it lives). */
export async function leftBehind(stateDir: string): Promise<StateChild[]> {
  const { state } = await inspectStateFile(stateDir);
  if (state === undefined || isSameProcess(state.supervisorPid, state.supervisorStart)) return [];
  return state.children.filter(stillOurs);
}

/**
 * The leader decides: alive with the recorded start time → ours. Alive with
 * another start time → a reused pid, not ours. Gone → the group is still ours if
 * it has members (Linux does not reuse a pid as long as a group of that id exists).
 */
function stillOurs(child: StateChild): boolean {
  const leader = readProcStat(child.pid);
  if (leader !== undefined && leader.state !== 'Z') {
    return leader.startTime === child.startTime && leader.pgrp === child.pgid;
  }
  return groupHasMembers(child.pgid);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
    // A stopped process ignores SIGTERM until it is continued.
    if (signal === 'SIGTERM') process.kill(-pgid, 'SIGCONT');
  } catch {
    // already gone
  }
}

/** Waits until every group is empty or `timeoutMs` passed; the checks back off from 10 ms to 200 ms. */
async function waitGroupsGone(children: StateChild[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  while (children.some((child) => groupHasMembers(child.pgid)) && Date.now() < deadline) {
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
    delay = Math.min(delay * 2, 200);
  }
}

async function removeStaleSocket(stateDir: string): Promise<void> {
  const path = await findSocketPath(stateDir);
  if ((await probeSocket(path)) === 'stale') {
    await removeQuietly(path);
    await removeQuietly(pointerFile(stateDir));
  }
}

/** `stopped 2 processes left by an ignite that died: api (pid 123), db (pid 456)`; undefined when none was. */
export function describeCleanup(report: CleanupReport): string | undefined {
  const { cleaned } = report;
  if (report.damaged !== undefined) {
    return `the state file ${report.damaged} is damaged: processes left running by an ignite that died cannot be found from it; it was removed`;
  }
  if (cleaned.length === 0) return undefined;
  const what = cleaned.length === 1 ? '1 process' : `${cleaned.length} processes`;
  return `stopped ${what} left by an ignite that died: ${cleaned.map((c) => `${c.task} (pid ${c.pid})`).join(', ')}`;
}
