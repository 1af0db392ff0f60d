/**
 * The user-facing operations over the orchestrator: up, run, finished, and
 * start/stop/restart of a selection. Each resolves when what it asked for has
 * settled, never on a fixed delay.
 */
import type { Failure } from '../core/failure.js';
import { err, ok, type Result } from '../core/result.js';
import type { TaskState } from '../core/states.js';
import { didYouMean } from '../util/did-you-mean.js';
import { exitStatus } from '../core/failure-text.js';
import type { TaskInstance } from './instance.js';
import type { Orchestra } from './orchestra.js';
import { stopInOrder } from './stop-order.js';
import { planReload, unappliedChanges } from './reload.js';
import type { ReloadSummary, StackSpec } from '../core/model.js';

export interface UpSummary {
  /** Instances that became ready or completed. */
  started: string[];
  failed: string[];
  blocked: string[];
}

/** Nothing of the instance runs and nothing will start it by itself. */
const finished = (state: TaskState): boolean =>
  state === 'idle' || state === 'completed' || state === 'stopped' || state === 'failed' || state === 'blocked';

/** Startup has settled for an instance: it is up (a oneshot: done), or will not start by itself. */
const settledOrUp = (instance: TaskInstance): boolean =>
  (instance.state === 'ready' && !instance.spec.oneshot) || finished(instance.state);

/** Already on its way up: a start has nothing to do for it. */
const UNDER_WAY: ReadonlySet<TaskState> = new Set(['pending', 'starting', 'ready']);

const shuttingDown = (): Failure => ({ reason: 'shutting-down' });

export class Lifecycle {
  /** Restarts in flight: between their stop and their start, the stack is not over. */
  private restarting = 0;
  /** The reload in progress, which the next one waits for. */
  private reloads: Promise<unknown> = Promise.resolve();

  constructor(private readonly orchestra: Orchestra) {}

  async up(patterns?: string[]): Promise<Result<UpSummary, Failure>> {
    const o = this.orchestra;
    let selected: TaskInstance[];
    if (patterns === undefined || patterns.length === 0) {
      selected = o.instances.filter((i) => i.spec.autostart);
    } else {
      const found = o.select(patterns);
      if (!found.ok) return found;
      selected = found.value;
    }
    if (!o.reopen()) return err(shuttingDown());
    const targets = o.withDependencies(selected);
    o.emit({ type: 'stack-state', state: 'starting', at: Date.now() });
    await this.request(targets, new Set(selected));
    await o.until(() => targets.every(settledOrUp));
    o.emit({ type: 'stack-state', state: 'settled', at: Date.now() });
    return ok({
      started: targets.filter((i) => i.state === 'ready' || i.state === 'completed').map((i) => i.name),
      failed: targets.filter((i) => i.state === 'failed').map((i) => i.name),
      blocked: targets.filter((i) => i.state === 'blocked').map((i) => i.name),
    });
  }

  async run(task: string): Promise<Result<number, Failure>> {
    const o = this.orchestra;
    const own = o.instancesOf(task);
    const exact = o.instances.filter((i) => i.name === task);
    const chosen = own.length > 0 ? own : exact;
    if (chosen.length === 0) {
      const known = o.stack.tasks.map((t) => t.name);
      const suggestion = didYouMean(task, known);
      return err({ reason: 'unknown-task', task, known: suggestion === undefined ? known : [suggestion, ...known.filter((k) => k !== suggestion)] });
    }
    if (!o.reopen()) return err(shuttingDown());
    await this.request(o.withDependencies(chosen), new Set(chosen));
    await o.until(() => chosen.every((i) => finished(i.state)));
    const code = runStatus(chosen);
    await o.down(false);
    return ok(code);
  }

  finished(): Promise<number> {
    const o = this.orchestra;
    return o
      .until(() => this.restarting === 0 && o.instances.every((i) => finished(i.state)) && (!o.shuttingDown() || o.isDown()))
      .then(() => this.status());
  }

  /** Resolves once a down has run to its end, whatever the tasks did before: a detached stack lives until then. */
  downed(): Promise<number> {
    const o = this.orchestra;
    return o.until(() => o.isDown()).then(() => this.status());
  }

  private status(): number {
    const o = this.orchestra;
    if (o.failureShutdown) return 1;
    // stopped on request: 0 (SPEC), as Ctrl+C gives, whatever failed before
    if (o.downRequested) return 0;
    return o.instances.some((i) => i.state === 'failed') ? 1 : 0;
  }

  async start(patterns: string[]): Promise<Result<string[], Failure>> {
    const o = this.orchestra;
    const found = o.select(patterns);
    if (!found.ok) return found;
    if (!o.reopen()) return err(shuttingDown());
    const downs = o.downs;
    // asked to start, a task waiting out its backoff starts now, with its counters reset
    const backoff = found.value.filter((i) => i.state === 'backoff');
    const release = o.holdStopped(backoff);
    try {
      await Promise.all(backoff.map((i) => i.stop()));
      const targets = o.withDependencies(found.value);
      const selected = new Set(found.value);
      // dependencies that were not under way and now get started: acted on too (`started db`)
      const pulledIn = targets.filter((i) => !selected.has(i) && i.state !== 'completed' && !UNDER_WAY.has(i.state));
      await this.request(targets, selected);
      await o.until(() => targets.every(settledOrUp));
      // a down came meanwhile: it stopped them, or they were never asked
      if (o.downs !== downs) return err(shuttingDown());
      return ok([...pulledIn, ...found.value].map((i) => i.name));
    } finally {
      release();
    }
  }

  async stop(patterns: string[]): Promise<Result<string[], Failure>> {
    const o = this.orchestra;
    const found = o.select(patterns);
    if (!found.ok) return found;
    await stopInOrder(found.value, (i) => o.dependentsOf(i));
    return ok(found.value.map((i) => i.name));
  }

  async restart(patterns: string[]): Promise<Result<string[], Failure>> {
    const o = this.orchestra;
    const found = o.select(patterns);
    if (!found.ok) return found;
    this.restarting++;
    // its stop is not a stop on request: tasks waiting for it go on waiting
    const release = o.holdStopped(found.value);
    try {
      await stopInOrder(found.value, (i) => o.dependentsOf(i));
      return await this.start(patterns);
    } finally {
      release();
      this.restarting--;
      o.notify();
    }
  }

  /**
   * Applies a reloaded config: tasks that changed or went are stopped (dependents
   * first among them), then new and changed tasks get new instances; a changed task is
   * started again if it had been started, a new one if it is autostart. Tasks that did
   * not change keep running untouched.
   */
  reload(next: StackSpec): Promise<Result<ReloadSummary, Failure>> {
    // one at a time: each plans against the stack the previous one left
    const run = this.reloads.then(() => this.applyReload(next));
    this.reloads = run.catch(() => undefined);
    return run;
  }

  private async applyReload(next: StackSpec): Promise<Result<ReloadSummary, Failure>> {
    const o = this.orchestra;
    if (o.shuttingDown()) return err(shuttingDown());
    const downs = o.downs;
    const plan = planReload(o.stack, next);
    const notApplied = unappliedChanges(o.stack, next);
    const live = (i: TaskInstance): boolean => i.state === 'starting' || i.state === 'ready';
    const wanted = new Set(plan.changed.filter((task) => o.instancesOf(task).some((i) => i.state !== 'idle' && i.state !== 'stopped')));
    // unchanged dependents declared with `restart: true` on a changed task follow it, as on a restart
    const follows = (i: TaskInstance): boolean => live(i) || (i.state === 'completed' && i.spec.oneshot);
    const followers = o.instances.filter((i) => plan.unchanged.includes(i.baseName) && follows(i) && i.spec.dependsOn.some((d) => d.restart && wanted.has(d.task)));
    const going = [...plan.changed, ...plan.removed].flatMap((task) => [...o.instancesOf(task)]);
    // a start or restart racing this reload must not bring them up again once stopped
    for (const instance of going) instance.retire();
    this.restarting++;
    const release = o.holdStopped([...going, ...followers]);
    try {
      await stopInOrder([...going, ...followers], (i) => o.dependentsOf(i));
      const fresh = await o.adopt(next, new Set(plan.unchanged));
      // a down that began meanwhile ends the stack: its new tasks stay idle, none is started
      if (o.downs !== downs) return err(shuttingDown());
      const starting = [...fresh.filter((i) => wanted.has(i.baseName) || (plan.added.includes(i.baseName) && i.spec.autostart)), ...followers];
      const targets = o.withDependencies(starting);
      const idle = new Set(targets.filter((i) => !starting.includes(i) && finished(i.state) && i.state !== 'completed'));
      await this.request(targets, new Set(starting));
      await o.until(() => targets.every(settledOrUp));
      if (o.downs !== downs) return err(shuttingDown());
      const names = (list: readonly TaskInstance[]): string[] => [...new Set(list.map((i) => i.baseName))];
      return ok({
        ...plan,
        started: names(starting.filter((i) => !followers.includes(i))),
        followed: names(followers),
        pulledIn: names([...idle]),
        notApplied,
      });
    } finally {
      release();
      this.restarting--;
      o.notify();
    }
  }

  /**
   * Asks every target to start: the selection always (counters reset), the
   * dependencies only when they are not already up or done. One still stopping
   * is asked once its stop is over (else the request would be lost); meanwhile
   * its `stopped` does not block the tasks waiting for it.
   */
  private async request(targets: readonly TaskInstance[], selection: ReadonlySet<TaskInstance>): Promise<void> {
    const stopping = targets.filter((i) => i.state === 'stopping');
    const release = this.orchestra.holdStopped(stopping);
    try {
      if (stopping.length > 0) await Promise.all(stopping.map((i) => i.whenNotLive()));
      for (const instance of targets) {
        if (selection.has(instance) || instance.state !== 'completed') instance.request(true);
      }
    } finally {
      release();
    }
    this.orchestra.startStats();
    this.orchestra.queueEvaluate();
  }
}

/** The exit status `ignite run` reports for its task (the first instance that did not succeed). */
function runStatus(instances: readonly TaskInstance[]): number {
  for (const instance of instances) {
    const run = instance.run;
    if (run.state === 'completed') {
      if (run.code !== 0) return run.code;
      continue;
    }
    if (instance.exitCode === null && instance.exitSignal === null) return 1;
    const status = exitStatus(instance.exitCode, instance.exitSignal);
    return status === 0 ? 1 : status;
  }
  return 0;
}
