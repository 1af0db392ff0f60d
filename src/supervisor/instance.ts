/**
 * One supervised instance of a task (`api`, or `api:1` of a replicated task):
 * the state machine over its attempts. It launches them (launcher.ts), reacts to
 * readiness and health (readiness.ts), applies the restart policy to every end
 * (restart-book.ts) and stops its process group (attempt.ts). Every state change
 * goes through its RunCell; the orchestrator decides when to release and stop it.
 */
import { withOutputAtExit, type Failure } from '../core/failure.js';
import type { HookContext, HookName, TaskSpec } from '../core/model.js';
import { unreachable } from '../core/result.js';
import type { TaskState } from '../core/states.js';
import { closeAttempt, hookContext, openAttempt, stopAttemptGroup } from './attempt.js';
import { Launcher } from './launcher.js';
import type { HookExit, HookFacts, Spawned } from './attempt.js';
import { awaitReadiness, watchHealth } from './readiness.js';
import { describeFailure } from '../core/failure-text.js';
import { buildEnv } from './env.js';
import { HookQueue } from './hooks.js';
import type { InstanceHost } from './instance-host.js';
import type { LinesHandler } from './instance-output.js';
import { lastOwnLines } from './output/last-lines.js';
import type { AttemptEnd, Decision } from './policy.js';
import { RestartBook } from './restart-book.js';
import type { ChildExit } from './process/spawn.js';
import { signalGroup } from './process/stop.js';
import { liveAttempt, RunCell, type Attempt, type StopCause, type TaskRun } from './task-run.js';

export interface InstanceDef {
  name: string;
  baseName: string;
  replica: number;
  spec: TaskSpec;
}

export class TaskInstance {
  readonly name: string;
  readonly baseName: string;
  readonly replica: number;
  readonly spec: TaskSpec;
  private readonly book = new RestartBook();
  private attempts = 0;
  /** Set by a reload that replaces or removes this instance: it never starts again. */
  private retired = false;
  private stops = 0;
  pid: number | null = null;
  exitCode: number | null = null;
  exitSignal: string | null = null;
  startedAt: number | null = null;
  readyAt: number | null = null;
  health: 'healthy' | 'unhealthy' | 'unknown' | null = null;
  lastLines: string[] = [];
  /** The environment of the last process spawned: onRestart's (its attempt is over). */
  private lastEnv: Readonly<Record<string, string>> | undefined;
  private readonly hooks: HookQueue;
  private readonly cell: RunCell;
  private readonly launcher: Launcher;

  constructor(
    def: InstanceDef,
    readonly host: InstanceHost,
  ) {
    this.name = def.name;
    this.baseName = def.baseName;
    this.replica = def.replica;
    this.spec = def.spec;
    this.launcher = new Launcher(this, (env, signal) => {
      const context = (): HookContext =>
        hookContext(this, { attempt: this.attempts + 1, pid: undefined, env, signal: AbortSignal.any([host.hookSignal(), signal]) });
      return this.hooks.run('preStart', context, signal);
    });
    this.hooks = new HookQueue(def.spec.hooks, host.plugins, def.spec.readyTimeoutMs, (failure) => this.warn(describeFailure(failure, { output: false })));
    this.cell = new RunCell(
      (next, previous, failure) => {
        const event = { type: 'task-state' as const, task: this.name, state: next.state, previous, at: Date.now() };
        host.emit(failure === undefined ? event : { ...event, failure });
        host.changed(this, previous);
      },
      (from, to) => this.warn(`internal: ignored transition ${from} → ${to} — please report`),
    );
  }

  get run(): TaskRun {
    return this.cell.run;
  }

  /** Restarts since the last manual start (shown by `ps`). */
  get restarts(): number {
    return this.book.restarts;
  }

  /** How many times stop() was called: tells a stop of one's own from a later one. */
  get stopCount(): number {
    return this.stops;
  }

  /** How many processes this instance has spawned so far. */
  get spawns(): number {
    return this.attempts;
  }

  get state(): TaskState {
    return this.run.state;
  }

  /**
   * Idle/stopped/failed/blocked/completed → pending. `manual` resets the restart counters.
   * Refused while the stack goes down: the down stops only what it found, so an instance
   * asked for afterwards (a start that waited out a stop) would wait for ever.
   */
  request(manual: boolean): boolean {
    const state = this.run.state;
    if (this.retired || this.host.shuttingDown()) return false;
    if (state !== 'idle' && state !== 'stopped' && state !== 'failed' && state !== 'blocked' && state !== 'completed') return false;
    if (manual) this.book.reset();
    this.enter({ state: 'pending', released: false, waitingOn: undefined });
    return true;
  }

  /** Dependencies are met: start the first attempt (after startDelay). */
  release(): void {
    if (this.run.state !== 'pending' || this.run.released) return;
    this.cell.update({ ...this.run, released: true, waitingOn: undefined });
    this.launch(this.spec.startDelayMs);
  }

  /** Records what a pending instance waits for; true when that changed (worth an event). */
  waitFor(on: string): boolean {
    if (this.run.state !== 'pending' || this.run.waitingOn === on) return false;
    this.cell.update({ ...this.run, waitingOn: on });
    return true;
  }

  /**
   * A reload is replacing or removing this instance: no request starts it again, so
   * once its stop resolves nothing of it runs (a restart or start racing the reload
   * would otherwise bring up a process the stack no longer tracks).
   */
  retire(): void {
    this.retired = true;
  }

  block(failure: Failure): void {
    if (this.run.state === 'pending' || this.run.state === 'idle' || this.run.state === 'stopped') {
      this.enter({ state: 'blocked', failure }, failure);
    }
  }

  /** Stops the instance by its stop spec; resolves once nothing of it is left. No spawn happens afterwards. */
  async stop(): Promise<void> {
    this.stops += 1;
    const run = this.run;
    switch (run.state) {
      case 'idle':
      case 'completed':
      case 'stopped':
      case 'failed':
      case 'blocked':
        return;
      case 'pending':
      case 'backoff': {
        // Every caller waits for the cancelled launch, so none resolves while its process is being killed.
        await this.launcher.cancel();
        if (this.run.state === 'pending' || this.run.state === 'backoff') {
          this.enter({ state: 'stopped', endedAt: Date.now() });
          return;
        }
        return this.stop();
      }
      case 'starting':
      case 'ready':
        this.stopAttempt(run.attempt, { kind: 'request' });
        return this.cell.untilNotLive();
      case 'stopping':
        if (run.cause.kind !== 'request') this.cell.update({ ...run, cause: { kind: 'request' } });
        return this.cell.untilNotLive();
      default:
        return unreachable(run);
    }
  }

  /** Stop now: SIGKILL to the group (a running stop command too), cancel anything pending. */
  forceStop(): Promise<void> {
    const stopped = this.stop();
    const attempt = liveAttempt(this.run);
    if (attempt !== undefined) {
      attempt.force.abort();
      signalGroup(attempt.child.pid, 'SIGKILL');
    }
    return stopped;
  }

  /** Resolves once no process of this instance runs (at once if none does). */
  whenNotLive(): Promise<void> {
    return this.cell.untilNotLive();
  }

  /** Sends a signal to the group; the exit that follows goes through the restart policy. */
  kill(signal: NodeJS.Signals): boolean {
    const attempt = liveAttempt(this.run);
    return attempt !== undefined && signalGroup(attempt.child.pid, signal);
  }

  /** Forwards a signal to the group, rewritten by the task's `signals` map. */
  forward(signal: NodeJS.Signals): boolean {
    return this.kill(this.spec.signals[signal] ?? signal);
  }

  // ── attempts ────────────────────────────────────────────────────────────

  private launch(delayMs: number): void {
    this.launcher.start(delayMs, {
      failed: (failure) => this.attemptFailed(failure),
      spawned: (launch) => {
        this.attempts += 1;
        this.begin(launch, this.attempts);
      },
    });
  }

  /** A failure before any process ran (spawn error, preStart hook): reported once, policy applies. */
  private attemptFailed(failure: Failure): void {
    const repeated = this.book.repeats(failure);
    const decision = this.book.decide(this.spec, { kind: 'failure', failure, uptimeMs: 0, wasReady: false });
    if (decision.action === 'restart' && !repeated) this.warn(describeFailure(failure, { output: false }));
    this.apply(decision, decision.action === 'restart' ? undefined : failure);
  }

  private begin(launch: Spawned, number: number): void {
    const log = this.host.logWriter(this.spec);
    const onLines: LinesHandler = (lines, block, stream, at, bytes) => {
      log.write(block, stream, at, bytes);
      this.host.emit({ type: 'task-output', task: this.name, stream, lines, at });
    };
    const attempt = openAttempt(this, number, launch, onLines, () => log.backlog());
    const { child } = attempt;
    this.host.track(child.pid);
    this.lastEnv = launch.env;
    this.pid = child.pid;
    this.startedAt = attempt.startedAt;
    this.readyAt = null;
    this.exitCode = null;
    this.exitSignal = null;
    this.health = this.spec.health === undefined ? null : 'unknown';
    this.book.spawned();
    this.host.emit({ type: 'task-spawn', task: this.name, pid: child.pid, attempt: number, at: attempt.startedAt });
    this.enter({ state: 'starting', attempt });
    void child.exited.then((exit) => this.onExit(attempt, exit));
    this.fireHook('postStart', attempt);
    const current = (): boolean => this.run.state === 'starting' && this.run.attempt === attempt;
    awaitReadiness(this, attempt, current, (failure) => {
      if (failure === undefined) this.markReady(attempt);
      else this.stopAttempt(attempt, { kind: 'failure', failure });
    });
  }

  private markReady(attempt: Attempt): void {
    const readyAt = Date.now();
    this.readyAt = readyAt;
    this.host.emit({ type: 'task-ready', task: this.name, elapsedMs: readyAt - attempt.startedAt, at: readyAt });
    this.enter({ state: 'ready', attempt, readyAt });
    this.fireHook('onReady', attempt);
    if (this.run.state !== 'ready' || this.run.attempt !== attempt) return;
    const current = (): boolean => this.run.state === 'ready' && this.run.attempt === attempt;
    watchHealth(this, attempt, current, (health) => (this.health = health), (failure) => this.stopAttempt(attempt, { kind: 'failure', failure }));
  }

  /** Starts stopping the group by the stop spec (idempotent per attempt). */
  private stopAttempt(attempt: Attempt, cause: StopCause): void {
    const run = this.run;
    if (run.state !== 'starting' && run.state !== 'ready') return;
    const readyAt = run.state === 'ready' ? run.readyAt : undefined;
    this.enter({ state: 'stopping', attempt, readyAt, cause }, cause.kind === 'failure' ? cause.failure : undefined);
    stopAttemptGroup(this, attempt);
  }

  private async onExit(attempt: Attempt, exit: ChildExit): Promise<void> {
    await closeAttempt(this, attempt);
    this.lastLines = lastOwnLines(attempt.output.recent(), 10);
    this.exitCode = exit.code;
    this.exitSignal = exit.signal;
    const uptimeMs = exit.at - attempt.startedAt;
    this.host.emit({ type: 'task-exit', task: this.name, pid: attempt.child.pid, code: exit.code, signal: exit.signal, uptimeMs, at: exit.at });
    this.fireHook('onExit', attempt, exit);
    const run = this.run;
    const wasReady = this.readyAt !== null;
    if ((run.state === 'stopping' && run.cause.kind === 'request') || this.host.shuttingDown()) {
      this.enter({ state: 'stopped', endedAt: Date.now() });
      return;
    }
    const end: AttemptEnd =
      run.state === 'stopping' && run.cause.kind === 'failure'
        ? { kind: 'failure', failure: withOutputAtExit(run.cause.failure, this.lastLines), uptimeMs, wasReady }
        : { kind: 'exit', code: exit.code, signal: exit.signal, uptimeMs, wasReady, lastLines: this.lastLines };
    this.decideEnd(end);
  }

  private decideEnd(end: AttemptEnd): void {
    const decision = this.book.decide(this.spec, end);
    this.apply(decision, decision.action === 'restart' ? decision.failure : undefined);
  }

  private apply(decision: Decision, reported: Failure | undefined): void {
    const now = Date.now();
    if (this.host.shuttingDown()) {
      this.enter({ state: 'stopped', endedAt: now });
      return;
    }
    switch (decision.action) {
      case 'complete':
        this.enter({ state: 'completed', code: decision.code, endedAt: now });
        return;
      case 'fail':
        this.enter({ state: 'failed', failure: decision.failure, endedAt: now }, decision.failure);
        return;
      case 'restart':
        this.enter({ state: 'backoff', until: now + decision.delayMs, delayMs: decision.delayMs, failure: reported }, reported);
        this.host.emit({ type: 'task-restart', task: this.name, attempt: this.restarts, delayMs: decision.delayMs, at: now });
        this.fireHook('onRestart', undefined, { code: this.exitCode, signal: this.exitSignal });
        this.launch(decision.delayMs);
        return;
      default:
        return unreachable(decision);
    }
  }

  // ── plumbing ────────────────────────────────────────────────────────────

  private enter(next: TaskRun, failure?: Failure): void {
    this.cell.enter(next, failure);
  }

  private warn(message: string): void {
    this.host.emit({ type: 'task-warning', task: this.name, message, at: Date.now() });
  }

  /** The environment of a process of this instance, without a ready strategy's variables: for a hook before any spawn. */
  private envOf(attempt: number): Record<string, string> {
    return buildEnv(this.spec, this, {}, this.host.baseEnv, { run: this.host.runId, attempt });
  }

  private fireHook(name: HookName, attempt: Attempt | undefined, exit?: HookExit): void {
    this.hooks.fire(name, () => {
      const facts: HookFacts = {
        attempt: attempt?.number ?? this.attempts,
        pid: attempt?.child.pid ?? this.pid ?? undefined,
        env: attempt?.env ?? this.lastEnv ?? this.envOf(this.attempts),
        signal: this.host.hookSignal(),
      };
      return hookContext(this, exit === undefined ? facts : { ...facts, exit });
    });
  }
}
