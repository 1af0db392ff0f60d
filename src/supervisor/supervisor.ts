/**
 * The orchestrator: owns the instances, releases them as their dependencies are
 * met, applies failure policies across tasks, and stops the stack dependents
 * first. It emits every SupervisorEvent as 'event' and as its own type (plus
 * 'state' for task-state) and never writes to stdout/stderr.
 */
import { EventEmitter } from 'node:events';
import type { SupervisorEvent } from '../core/events.js';
import type { Failure } from '../core/failure.js';
import type { ControlApi, ReloadSummary, StackSpec } from '../core/model.js';
import { ok, type Result } from '../core/result.js';
import type { TaskStatus } from '../core/status.js';
import { toControlApi } from './control-api.js';
import { TaskInstance } from './instance.js';
import { Lifecycle, type UpSummary } from './lifecycle.js';
import { Orchestra, type SupervisorOptions } from './orchestra.js';
import { statusOf } from './status.js';

export type { SupervisorOptions } from './orchestra.js';
export type { UpSummary } from './lifecycle.js';

export class Supervisor extends EventEmitter {
  private readonly orchestra: Orchestra;
  private readonly lifecycle: Lifecycle;

  constructor(stack: StackSpec, options: SupervisorOptions = {}) {
    super();
    this.orchestra = new Orchestra(stack, options, (event) => this.publish(event));
    this.lifecycle = new Lifecycle(this.orchestra);
  }

  /** Starts the autostart tasks (or the selection) and what they need; resolves once startup has settled. */
  up(patterns?: string[]): Promise<Result<UpSummary, Failure>> {
    return this.lifecycle.up(patterns);
  }

  /** Starts `task` and what it needs; resolves with its own exit status once it is done, after stopping the rest. */
  run(task: string): Promise<Result<number, Failure>> {
    return this.lifecycle.run(task);
  }

  /** Resolves when no task is running or able to start: 0 if none failed, else 1. */
  finished(): Promise<number> {
    return this.lifecycle.finished();
  }

  /** Resolves once a down (requested, by a signal, or by an onFailure 'shutdown') has finished: 0, or 1 if a task failed. */
  downed(): Promise<number> {
    return this.lifecycle.downed();
  }

  start(patterns: string[]): Promise<Result<string[], Failure>> {
    return this.lifecycle.start(patterns);
  }

  stop(patterns: string[]): Promise<Result<string[], Failure>> {
    return this.lifecycle.stop(patterns);
  }

  restart(patterns: string[]): Promise<Result<string[], Failure>> {
    return this.lifecycle.restart(patterns);
  }

  /** Sends `signal` (SIGTERM, as `ignite kill` and the HTTP API) to the groups; the exits go through the restart policy. */
  kill(patterns: string[], signal: NodeJS.Signals = 'SIGTERM'): Promise<Result<string[], Failure>> {
    const selected = this.orchestra.select(patterns);
    if (!selected.ok) return Promise.resolve(selected);
    return Promise.resolve(ok(selected.value.filter((i) => i.kill(signal)).map((i) => i.name)));
  }

  /**
   * Applies a new config to the running stack (`ignite reload`): changed and removed
   * tasks stop, new and changed ones start (see Lifecycle.reload); the rest run on.
   */
  reload(next: StackSpec): Promise<Result<ReloadSummary, Failure>> {
    return this.lifecycle.reload(next);
  }

  /** Graceful: dependents first, each by its stop spec. `force`: SIGKILL every group now (also escalates a running down). */
  down(options: { force?: boolean } = {}): Promise<void> {
    this.orchestra.downRequested = true;
    return this.orchestra.down(options.force === true);
  }

  /** A down has begun (or is over): asked for, by a signal, or by a required task's failure. */
  get stopping(): boolean {
    return this.orchestra.shuttingDown() || this.orchestra.isDown();
  }

  /** The stack it runs: the one it was made with, or the last one `reload` applied. */
  get stack(): StackSpec {
    return this.orchestra.stack;
  }

  /** One row per instance; cpu/memory sampled from /proc now. */
  status(patterns?: string[]): TaskStatus[] {
    let instances: readonly TaskInstance[] = this.orchestra.instances;
    if (patterns !== undefined && patterns.length > 0) {
      // The same matching as the actions: no match (for any pattern) → no rows.
      const selected = this.orchestra.select(patterns);
      instances = selected.ok ? selected.value : [];
    }
    const samples = this.orchestra.stats.sample(instances, this.orchestra.instances);
    const states = new Map(this.orchestra.instances.map((i) => [i.name, i.state]));
    return instances.map((i) => statusOf(i, i.pid === null ? undefined : samples.get(i.pid), (name) => states.get(name)));
  }

  /** Forwards a signal (SIGHUP, SIGUSR1, …) to every running task, rewritten by each task's `signals` map. */
  signalAll(signal: NodeJS.Signals): void {
    for (const instance of this.orchestra.instances) instance.forward(signal);
  }

  /**
   * Waits until every output line of `task` (a task's name: replicas share its files) already
   * emitted as a `task-output` event is in its log files, and keeps later lines out of them
   * until `release()` is called: history read meanwhile meets the events from now exactly.
   */
  holdLogs(task: string): Promise<() => void> {
    return this.orchestra.holdLogs(task);
  }

  /** The operations of the control API (socket, HTTP, plugin control servers) over this supervisor. */
  controlApi(): ControlApi {
    return toControlApi(this);
  }

  private publish(event: SupervisorEvent): void {
    try {
      this.emit('event', event);
      this.emit(event.type, event);
      if (event.type === 'task-state') this.emit('state', event);
    } catch (error) {
      // A throwing listener must not leave a task half-way through a transition.
      process.nextTick(() => {
        throw error;
      });
    }
  }
}
