/**
 * Finds and kills what escaped a task's process group once that group is gone.
 * Requests are batched: one /proc pass serves every attempt that ended since the
 * last one. A stop waits for its sweep (an escapee of a stopped task is part of
 * it), so stop requests sweep at once; a task that exited on its own does not
 * wait, and its sweep may trail the previous pass by up to IDLE_GAP_MS, so a
 * crash loop costs at most a few passes a second.
 */
import { findEscapees, killEscapees, type Escapee } from './process/escapees.js';

const IDLE_GAP_MS = 100;

type Scan = typeof findEscapees;

export class EscapeSweeper {
  private readonly wanted = new Map<string, Set<number>>();
  private everything = false;
  private waiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerUrgent = false;
  private lastPass = 0;

  constructor(
    readonly run: string,
    private readonly report: (escapee: Escapee) => void,
    private readonly scan: Scan = findEscapees,
  ) {}

  /** Sweeps for what escaped `attempt` of instance `task`. Never rejects. */
  sweep(task: string, attempt: number, urgent: boolean): Promise<void> {
    const attempts = this.wanted.get(task) ?? new Set<number>();
    attempts.add(attempt);
    this.wanted.set(task, attempts);
    return this.schedule(urgent);
  }

  /** Sweeps for anything of this run, whatever its task (the end of a `down`). */
  sweepAll(): Promise<void> {
    this.everything = true;
    return this.schedule(true);
  }

  private schedule(urgent: boolean): Promise<void> {
    const done = new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.timer !== undefined && (this.timerUrgent || !urgent)) return done;
    clearTimeout(this.timer);
    const wait = urgent ? 0 : Math.max(0, this.lastPass + IDLE_GAP_MS - Date.now());
    this.timerUrgent = urgent;
    this.timer = setTimeout(() => void this.pass().catch(() => undefined), wait);
    return done;
  }

  private async pass(): Promise<void> {
    this.timer = undefined;
    this.lastPass = Date.now();
    const wanted = new Map(this.wanted);
    const everything = this.everything;
    const waiters = this.waiters;
    this.wanted.clear();
    this.everything = false;
    this.waiters = [];
    try {
      const escapees = this.scan(this.run, (task, attempt) => everything || wanted.get(task)?.has(attempt) === true);
      for (const escapee of escapees) this.report(escapee);
      await killEscapees(escapees);
    } finally {
      for (const wake of waiters) wake();
    }
  }
}

export function escapeMessage(escapee: Escapee): string {
  return `escaped its process group: pid ${escapee.pid} (${escapee.command}); killed it`;
}
