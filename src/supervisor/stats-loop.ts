/**
 * cpu/memory of each live instance's process group, sampled from /proc on demand
 * (status) and, when a plugin wants samples or an interval is set, periodically.
 */
import type { StatsSample } from '../core/status.js';
import type { TaskInstance } from './instance.js';
import { sampleGroups, type GroupSample } from './process/stats.js';
import { liveAttempt } from './task-run.js';

export class StatsTracker {
  private previous = new Map<number, GroupSample>();
  private timer: NodeJS.Timeout | undefined;

  /** Samples the live groups among `instances`; keyed by pgid. */
  sample(instances: readonly TaskInstance[]): Map<number, GroupSample> {
    const pgids = instances.flatMap((i) => {
      const attempt = liveAttempt(i.run);
      return attempt === undefined ? [] : [attempt.child.pid];
    });
    this.previous = sampleGroups(pgids, this.previous);
    return this.previous;
  }

  /** Calls `report` with a sample per live instance every `intervalMs` (the timer does not hold the process open). */
  start(intervalMs: number, instances: () => readonly TaskInstance[], report: (sample: StatsSample) => void): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      const live = instances();
      const samples = this.sample(live);
      for (const instance of live) {
        const attempt = liveAttempt(instance.run);
        const sample = attempt === undefined ? undefined : samples.get(attempt.child.pid);
        if (attempt === undefined || sample === undefined) continue;
        report({ task: instance.name, pid: attempt.child.pid, cpu: sample.cpu, memory: sample.memory, processes: sample.processes, at: sample.at });
      }
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
