/**
 * The orchestrator's machinery behind `Supervisor`: the instances, the seams they
 * use (InstanceHost), dependency release after every state change, the failure
 * policies across tasks, and the dependents-first shutdown.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SupervisorEvent } from '../core/events.js';
import type { Failure } from '../core/failure.js';
import type { PluginReadyFunction } from '../core/ready-spec.js';
import { err, ok, unreachable, type Result } from '../core/result.js';
import type { StackSpec, TaskSpec } from '../core/model.js';
import { createLogWriter } from './output/log-writer.js';
import type { LogWriter } from './output/types.js';
import { selectTasks } from '../graph/index.js';
import { prepareReady, startHealth } from '../ready/index.js';
import { TaskInstance } from './instance.js';
import type { InstanceHost } from './instance-host.js';
import { spawnChild, type SpawnFn } from './process/spawn.js';
import { startGuardian, type Guardian } from './process/guardian.js';
import { checkRelease, dependencyFailure, StopHolds } from './release.js';
import { expandInstances, StackIndex } from './stack-index.js';
import { startStatsLoop, StatsTracker } from './stats-loop.js';
import { stopInOrder } from './stop-order.js';
import { followRestart, onTaskFailed } from './cross-task.js';
import { EscapeSweeper, escapeMessage } from './escape-sweeper.js';
import { errorMessage } from '../util/error-message.js';

export interface SupervisorOptions {
  /** Start the guardian process that kills every group if ignite is SIGKILLed (default true). */
  guardian?: boolean;
  /** Sample cpu/memory every N ms and emit task-stats (default 0: on status(), or every 2 s for plugin statsHandlers). */
  statsIntervalMs?: number;
  /** The environment tasks inherit (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Seam for tests. */
  spawn?: SpawnFn;
}

interface DownState {
  promise: Promise<void>;
  done: boolean;
  force(): void;
}

export class Orchestra implements InstanceHost {
  /** Replaced as a whole by a reload (`adopt`); never changed in place. */
  instances: TaskInstance[];
  stack: StackSpec;
  readonly stats = new StatsTracker();
  readonly spawn: SpawnFn;
  readonly plugins;
  readonly readyPlugins: Record<string, PluginReadyFunction>;
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
  readonly prepareReady = prepareReady;
  readonly startHealth = startHealth;
  readonly runId = randomBytes(8).toString('hex');
  private readonly sweeper: EscapeSweeper;
  /** Set when a task with onFailure 'shutdown' gave up. */
  failureShutdown = false;
  /** A down was asked for (a signal, `ignite down`, the library): the stack ends as stopped on request. */
  downRequested = false;
  /** How many downs have begun: an operation that awaits tells from it whether one came meanwhile. */
  downs = 0;
  private readonly byTask = new Map<string, TaskInstance[]>();
  private readonly logs = new Map<string, LogWriter>();
  private index: StackIndex;
  private guardian: Guardian | undefined;
  private guardianDisabled = false;
  private runDirReady: Promise<string> | undefined;
  private downState: DownState | undefined;
  private hookAbort = new AbortController();
  private evaluateQueued = false;
  private readonly holds = new StopHolds();
  private readonly watchers = new Set<() => void>();

  constructor(
    stack: StackSpec,
    private readonly options: SupervisorOptions,
    readonly emit: (event: SupervisorEvent) => void,
  ) {
    this.stack = stack;
    this.spawn = options.spawn ?? spawnChild;
    this.plugins = stack.plugins;
    this.readyPlugins = Object.assign({}, ...stack.plugins.map((p) => p.readyStrategies)) as Record<string, PluginReadyFunction>;
    // A plain copy, taken once: each read of process.env is a call into libuv, and every spawn reads all of it.
    this.baseEnv = { ...(options.env ?? process.env) };
    this.index = new StackIndex(stack);
    this.sweeper = new EscapeSweeper(this.runId, (escapee) =>
      this.emit({ type: 'task-warning', task: escapee.task, message: escapeMessage(escapee), at: Date.now() }),
    );
    this.instances = expandInstances(stack.tasks).map((def) => new TaskInstance(def, this));
    this.indexInstances();
  }

  /**
   * Takes a reloaded stack: the instances of `unchanged` tasks stay, every other task
   * gets new ones (those of changed and removed tasks must have stopped). The state
   * dir, control listener and plugins stay those the stack started with. Returns the
   * new instances; the log files of tasks that changed or went are closed.
   */
  async adopt(next: StackSpec, unchanged: ReadonlySet<string>): Promise<TaskInstance[]> {
    const kept = this.instances.filter((i) => unchanged.has(i.baseName));
    const stack = { ...next, stateDir: this.stack.stateDir, control: this.stack.control, plugins: this.stack.plugins };
    const fresh = expandInstances(stack.tasks.filter((t) => !unchanged.has(t.name))).map((def) => new TaskInstance(def, this));
    const byName = new Map([...kept, ...fresh].map((i) => [i.name, i]));
    this.stack = stack;
    this.index = new StackIndex(stack);
    this.instances = expandInstances(stack.tasks).flatMap((def) => byName.get(def.name) ?? []);
    this.indexInstances();
    const closing = [...this.logs].filter(([task]) => !unchanged.has(task));
    for (const [task] of closing) this.logs.delete(task);
    await Promise.all(closing.map(([, log]) => log.close()));
    this.notify();
    return fresh;
  }

  private indexInstances(): void {
    this.byTask.clear();
    for (const instance of this.instances) {
      const list = this.byTask.get(instance.baseName) ?? [];
      list.push(instance);
      this.byTask.set(instance.baseName, list);
    }
  }

  // ── InstanceHost ──────────────────────────────────────────────────────────

  changed(instance: TaskInstance): void {
    if (instance.state === 'failed') onTaskFailed(this, instance);
    if (instance.state === 'starting' && instance.spawns > 1) followRestart(this, instance);
    this.queueEvaluate();
    this.notify();
  }

  logWriter(spec: TaskSpec): LogWriter {
    let writer = this.logs.get(spec.name);
    if (writer === undefined) {
      const onError = (error: Error): void =>
        this.emit({ type: 'task-warning', task: spec.name, message: `log file ${spec.logs.file}: ${error.message}`, at: Date.now() });
      writer = createLogWriter(spec.logs, onError);
      this.logs.set(spec.name, writer);
    }
    return writer;
  }

  /** Holds the task's log writer (see LogWriter.hold); at once when it has none, as nothing then writes its files. */
  holdLogs(task: string): Promise<() => void> {
    return this.logs.get(task)?.hold() ?? Promise.resolve(() => undefined);
  }

  runDir(): Promise<string> {
    const dir = join(this.stack.stateDir, 'run');
    // Only run/ is private: a state dir made 0700 here would bar tasks running as another user from `ready/`.
    this.runDirReady ??= mkdir(this.stack.stateDir, { recursive: true })
      .then(() => mkdir(dir, { mode: 0o700 }))
      .then(
        () => dir,
        () => dir,
      );
    return this.runDirReady;
  }

  get sharedDir(): string {
    return join(this.stack.stateDir, 'ready');
  }

  track(pgid: number): void {
    if (this.options.guardian === false || this.guardianDisabled) return;
    if (this.guardian === undefined) {
      try {
        this.guardian = startGuardian(this.runId);
      } catch (error) {
        this.guardianDisabled = true;
        const message = errorMessage(error);
        this.emit({ type: 'task-warning', task: '', message: `guardian not started: ${message}`, at: Date.now() });
        return;
      }
    }
    this.guardian.track(pgid);
  }

  untrack(pgid: number): void {
    this.guardian?.untrack(pgid);
  }

  sweepEscapees(task: string, attempt: number, urgent: boolean): Promise<void> {
    return this.sweeper.sweep(task, attempt, urgent);
  }

  hookSignal(): AbortSignal {
    return this.hookAbort.signal;
  }

  shuttingDown(): boolean {
    return this.downState !== undefined && !this.downState.done;
  }

  // ── selection ─────────────────────────────────────────────────────────────

  select(patterns: readonly string[]): Result<TaskInstance[], Failure> {
    if (patterns.length === 0) return err({ reason: 'no-match', patterns: [], known: this.index.taskNames() });
    const tasks = this.instances.map((i) => ({ name: i.name, tags: i.spec.tags }));
    const selected = selectTasks(tasks, [...patterns]);
    if (!selected.ok) return selected;
    const names = new Set(selected.value);
    return ok(this.instances.filter((i) => names.has(i.name)));
  }

  instancesOf(task: string): readonly TaskInstance[] {
    return this.byTask.get(task) ?? [];
  }

  /** The selection plus every instance of every task it needs, transitively. */
  withDependencies(selected: readonly TaskInstance[]): TaskInstance[] {
    const chosen = new Set(selected);
    const own = new Set(selected.map((i) => i.baseName));
    const tasks = this.index.withDependencies(own);
    return this.instances.filter((i) => chosen.has(i) || (tasks.has(i.baseName) && !own.has(i.baseName)));
  }

  dependentsOf(instance: TaskInstance, transitive = false): TaskInstance[] {
    return this.index.dependentsOf(instance.baseName, transitive).flatMap((t) => this.instancesOf(t));
  }

  // ── release and failure policies ──────────────────────────────────────────

  /** Their stop is on the way to a start: dependents wait for them meanwhile (see StopHolds); `release` re-evaluates. */
  holdStopped(instances: readonly TaskInstance[]): () => void {
    const release = this.holds.hold(instances.map((i) => i.name));
    return () => {
      release();
      this.queueEvaluate();
    };
  }

  queueEvaluate(): void {
    if (this.evaluateQueued) return;
    this.evaluateQueued = true;
    queueMicrotask(() => {
      this.evaluateQueued = false;
      this.evaluate();
    });
  }

  private evaluate(): void {
    if (this.shuttingDown()) return;
    for (const instance of this.instances) {
      const run = instance.run;
      if (run.state !== 'pending' || run.released) continue;
      const release = checkRelease(instance.spec, (task) => this.instancesOf(task), (name) => this.holds.has(name));
      switch (release.kind) {
        case 'go':
          instance.release();
          break;
        case 'wait':
          if (instance.waitFor(release.on)) this.emit({ type: 'task-waiting', task: instance.name, on: release.on, at: Date.now() });
          break;
        case 'blocked':
          instance.block(dependencyFailure(instance.name, release.dependency));
          break;
        default:
          unreachable(release);
      }
    }
  }

  // ── waiting ───────────────────────────────────────────────────────────────

  /** Resolves once `predicate` holds, re-checked after every state change. */
  until(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (!predicate()) return;
        this.watchers.delete(check);
        resolve();
      };
      this.watchers.add(check);
    });
  }

  /** Re-checks every `until` predicate (called on each state change, and when a predicate's other inputs change). */
  notify(): void {
    for (const check of [...this.watchers]) check();
  }

  // ── lifecycle of the whole stack ──────────────────────────────────────────

  /** Makes the supervisor usable again after a finished down; false while a down is running. */
  reopen(): boolean {
    if (this.downState === undefined) return true;
    if (!this.downState.done) return false;
    this.downState = undefined;
    this.failureShutdown = false;
    this.downRequested = false;
    this.hookAbort = new AbortController();
    return true;
  }

  isDown(): boolean {
    return this.downState?.done === true;
  }

  startStats(): void {
    const handlers = this.plugins.flatMap((p) => p.statsHandlers);
    startStatsLoop(this.stats, { intervalMs: this.options.statsIntervalMs, handlers }, () => this.instances, this.emit);
  }

  down(force: boolean): Promise<void> {
    if (this.downState !== undefined) {
      if (force && !this.downState.done) this.downState.force();
      return this.downState.promise;
    }
    const forceAll = (): void => {
      for (const instance of this.instances) void instance.forceStop();
    };
    const state: DownState = { promise: Promise.resolve(), done: false, force: forceAll };
    this.downState = state;
    this.downs++;
    this.hookAbort.abort();
    this.emit({ type: 'stack-state', state: 'stopping', at: Date.now() });
    state.promise = this.runDown(state, force);
    return state.promise;
  }

  private async runDown(state: DownState, force: boolean): Promise<void> {
    const timer = setTimeout(() => state.force(), this.stack.shutdownTimeoutMs);
    if (force) state.force();
    await stopInOrder(this.instances, (i) => this.dependentsOf(i));
    clearTimeout(timer);
    // One /proc pass for every task, instead of one per stopped task.
    await this.sweeper.sweepAll();
    const logs = [...this.logs.values()];
    this.logs.clear();
    await Promise.all(logs.map((log) => log.close()));
    this.stats.stop();
    const guardian = this.guardian;
    this.guardian = undefined;
    await guardian?.close();
    state.done = true;
    this.emit({ type: 'stack-state', state: 'stopped', at: Date.now() });
    this.notify();
  }
}
