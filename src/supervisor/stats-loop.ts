/**
 * cpu/memory of each live instance's process group, sampled from /proc on demand
 * (status) and, when a plugin wants samples or an interval is set, periodically.
 */
import type { SupervisorEvent } from '../core/events.js';
import type { StatsHandler } from '../core/model.js';
import type { StatsSample } from '../core/status.js';
import type { TaskInstance } from './instance.js';
import { sampleGroups, type GroupSample } from './process/stats.js';
import { liveAttempt } from './task-run.js';
import { errorMessage } from '../util/error-message.js';
import { callUnawaited, SaidOnce } from '../util/user-callback.js';

/** cpu % is measured over at least this window, so two quick `ps` calls still show a real figure. */
const MIN_WINDOW_MS = 1000;

export class StatsTracker {
  /** Per group, the sample cpu % is measured from; the attempt's start stands in before the first. */
  private baselines = new Map<number, GroupSample>();
  private timer: NodeJS.Timeout | undefined;

  /**
   * Samples the live groups among `instances`, keyed by pgid. `stack` is every instance of the
   * stack: the baselines of groups none of them runs any more are dropped, so a `ps api` that
   * sees each attempt of a restarting task does not keep one baseline per attempt.
   */
  sample(instances: readonly TaskInstance[], stack: readonly TaskInstance[] = instances): Map<number, GroupSample> {
    const previous = new Map<number, GroupSample>();
    for (const instance of instances) {
      const attempt = liveAttempt(instance.run);
      if (attempt === undefined) continue;
      const pgid = attempt.child.pid;
      const since = { pgid, cpu: 0, memory: 0, processes: 0, ticks: 0, at: attempt.startedAt };
      previous.set(pgid, this.baselines.get(pgid) ?? since);
    }
    const samples = sampleGroups(previous.keys(), previous);
    const running = new Set(stack.map((instance) => liveAttempt(instance.run)?.child.pid));
    for (const pgid of this.baselines.keys()) if (!running.has(pgid)) this.baselines.delete(pgid);
    for (const [pgid, sample] of samples) {
      const base = this.baselines.get(pgid);
      if (base === undefined || sample.at - base.at >= MIN_WINDOW_MS) this.baselines.set(pgid, sample);
    }
    return samples;
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

const DEFAULT_STATS_MS = 2000;

/**
 * Starts periodic sampling when someone wants it: an interval was set, or a
 * plugin has statsHandlers (then every 2 s). Each sample becomes a `task-stats`
 * event and goes to every handler, which is not awaited; a handler that throws or
 * rejects is reported, not fatal — once per handler and task with that message.
 */
export function startStatsLoop(
  tracker: StatsTracker,
  options: { intervalMs: number | undefined; handlers: readonly StatsHandler[] },
  instances: () => readonly TaskInstance[],
  emit: (event: SupervisorEvent) => void,
): void {
  const every = options.intervalMs ?? 0;
  if (every <= 0 && options.handlers.length === 0) return;
  const said = new SaidOnce();
  tracker.start(every > 0 ? every : DEFAULT_STATS_MS, instances, (sample) => {
    emit({ type: 'task-stats', task: sample.task, cpu: sample.cpu, memory: sample.memory, at: sample.at });
    for (const [index, handler] of options.handlers.entries()) {
      callUnawaited(handler, sample, (error) => {
        const message = errorMessage(error);
        const take = said.take(`${index}\0${sample.task}`, message);
        if (take === undefined) return;
        const more = take.last ? `; its message keeps changing, so no more of these for ${sample.task}` : '';
        emit({ type: 'task-warning', task: sample.task, message: `stats handler failed: ${message} (said once; it keeps being called${more})`, at: Date.now() });
      });
    }
  });
}
