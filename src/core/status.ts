import type { TaskState } from './states.js';

/** One row of `ignite ps --json` (the SPEC's shape, plus a few extra fields). */
export interface TaskStatus {
  /** Instance name: `api`, or `api:0`, `api:1` for replicas. */
  name: string;
  state: TaskState;
  pid: number | null;
  restarts: number;
  exitCode: number | null;
  /** ISO time or null. */
  startedAt: string | null;
  readyAt: string | null;
  /** Percent of one core, summed over the process group. */
  cpu: number | null;
  /** RSS in bytes, summed over the process group. */
  memory: number | null;
  /** Extra fields (not in the SPEC's minimum). */
  task: string;
  ready: string;
  health: 'healthy' | 'unhealthy' | 'unknown' | null;
  description: string | null;
  tags: string[];
  message: string | null;
  /** Why a failed or blocked task is so, as a code: `exited`, `dependency-failed`, `dependency-stopped`… (else null). */
  reason: string | null;
  /** The command as a person would type it (display only). */
  command: string;
  /** When the last process ended (ISO), for a task that is completed, stopped or failed: "since" in SPMI's status. */
  endedAt: string | null;
}

export interface StatsSample {
  task: string;
  pid: number;
  cpu: number;
  memory: number;
  processes: number;
  at: number;
}
