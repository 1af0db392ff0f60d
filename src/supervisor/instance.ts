/**
 * One supervised instance of a task (`api`, or `api:1` of a replicated task):
 * spawns attempts, waits for readiness, watches health, applies the restart
 * policy to every exit, and stops its process group. All state changes go
 * through `enter()`; the orchestrator decides when to release and stop it.
 */
import type { Failure } from '../core/failure.js';
import type { HookContext, HookName, TaskSpec } from '../core/model.js';
import { describeReady } from '../core/ready-spec.js';
import { unreachable } from '../core/result.js';
import type { TaskState } from '../core/states.js';
import type { HealthReport, PreparedReady, ReadyRun } from '../ready/types.js';
import { sleep } from '../util/abort.js';
import { buildEnv } from './env.js';
import { describeFailure } from './failure-text.js';
import { runHooks } from './hooks.js';
import type { InstanceHost } from './instance-host.js';
import { wireOutput, type WiredOutput } from './instance-output.js';
import { OutputBuffer } from './output/output-buffer.js';
import { decide, type AttemptEnd, type Decision } from './policy.js';
import type { ChildExit, SpawnedChild } from './process/spawn.js';
import { killGroup, runStopCommand, settlesWithin, signalGroup, stopGroup } from './process/stop.js';
import { canTransition, liveAttempt, type Attempt, type StopCause, type TaskRun } from './task-run.js';

export interface InstanceDef {
  name: string;
  baseName: string;
  replica: number;
  spec: TaskSpec;
}

/** How long to wait for pipes to close once the group is gone (an escaped process may hold them). */
const PIPE_GRACE_MS = 500;

type HookExit = { code: number | null; signal: string | null };

export class TaskInstance {
  readonly name: string;
  readonly baseName: string;
  readonly replica: number;
  readonly spec: TaskSpec;
  run: TaskRun = { state: 'idle' };
  /** Restarts since the last manual start (shown by `ps`). */
  restarts = 0;
  /** Consecutive restarts that count against maxRestarts and grow the backoff. */
  private streak = 0;
  private attempts = 0;
  pid: number | null = null;
  exitCode: number | null = null;
  exitSignal: string | null = null;
  startedAt: number | null = null;
  readyAt: number | null = null;
  health: 'healthy' | 'unhealthy' | 'unknown' | null = null;
  lastLines: string[] = [];
  private launching: { abort: AbortController; done: Promise<void> } | undefined;
  private spawnErrorKey: string | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(
    def: InstanceDef,
    private readonly host: InstanceHost,
  ) {
    this.name = def.name;
    this.baseName = def.baseName;
    this.replica = def.replica;
    this.spec = def.spec;
  }

  /** How many processes this instance has spawned so far. */
  get spawns(): number {
    return this.attempts;
  }

  get state(): TaskState {
    return this.run.state;
  }

  /** Idle/stopped/failed/blocked/completed → pending. `manual` resets the restart counters. */
  request(manual: boolean): boolean {
    const state = this.run.state;
    if (state !== 'idle' && state !== 'stopped' && state !== 'failed' && state !== 'blocked' && state !== 'completed') return false;
    if (manual) {
      this.restarts = 0;
      this.streak = 0;
      this.spawnErrorKey = undefined;
    }
    this.enter({ state: 'pending', released: false, waitingOn: undefined });
    return true;
  }

  /** Dependencies are met: start the first attempt (after startDelay). */
  release(): void {
    if (this.run.state !== 'pending' || this.run.released) return;
    this.run = { ...this.run, released: true, waitingOn: undefined };
    this.launch(this.spec.startDelayMs);
  }

  /** Records what a pending instance waits for; true when that changed (worth an event). */
  waitFor(on: string): boolean {
    if (this.run.state !== 'pending' || this.run.waitingOn === on) return false;
    this.run = { ...this.run, waitingOn: on };
    return true;
  }

  block(failure: Failure): void {
    if (this.run.state === 'pending' || this.run.state === 'idle' || this.run.state === 'stopped') {
      this.enter({ state: 'blocked', failure }, failure);
    }
  }

  /** Stops the instance by its stop spec; resolves once nothing of it is left. No spawn happens afterwards. */
  async stop(): Promise<void> {
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
        const launching = this.launching;
        this.launching = undefined;
        launching?.abort.abort();
        await launching?.done;
        if (this.run.state === 'pending' || this.run.state === 'backoff') {
          this.enter({ state: 'stopped', endedAt: Date.now() });
          return;
        }
        return this.stop();
      }
      case 'starting':
      case 'ready':
        this.stopAttempt(run.attempt, { kind: 'request' });
        return this.untilNotLive();
      case 'stopping':
        if (run.cause.kind !== 'request') this.run = { ...run, cause: { kind: 'request' } };
        return this.untilNotLive();
      default:
        return unreachable(run);
    }
  }

  /** Stop now: SIGKILL to the group, cancel anything pending. */
  forceStop(): Promise<void> {
    const stopped = this.stop();
    const attempt = liveAttempt(this.run);
    if (attempt !== undefined) signalGroup(attempt.child.pid, 'SIGKILL');
    return stopped;
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
    const abort = new AbortController();
    const done = this.attemptStart(abort.signal, delayMs).catch((error: unknown) => {
      if (abort.signal.aborted) return;
      this.launching = undefined;
      const message = error instanceof Error ? error.message : String(error);
      this.decideEnd({ kind: 'failure', failure: { reason: 'internal', message }, uptimeMs: 0, wasReady: false });
    });
    this.launching = { abort, done };
  }

  private async attemptStart(signal: AbortSignal, delayMs: number): Promise<void> {
    if (delayMs > 0) {
      try {
        await sleep(delayMs, signal);
      } catch {
        return;
      }
    }
    const number = this.attempts + 1;
    const preStart = await runHooks('preStart', this.hookContext(number, this.spec.env), this.spec.hooks, this.host.plugins);
    if (aborted(signal)) return;
    const hookFailure = preStart[0];
    if (hookFailure !== undefined) return this.attemptFailed(hookFailure);
    const prepared = await this.host.prepareReady(this.spec.ready, {
      task: this.name,
      runDir: await this.host.runDir(),
      cwd: this.spec.cwd,
    });
    if (aborted(signal)) return disposeQuietly(prepared);
    const env = buildEnv(this.spec, this, prepared.env, this.host.baseEnv);
    const spawned = await this.host.spawn({
      task: this.name,
      command: this.spec.command,
      cwd: this.spec.cwd,
      env,
      notifyFd: prepared.needsNotifyFd,
      user: this.spec.user,
      group: this.spec.group,
      umask: this.spec.umask,
      cpus: this.spec.cpus,
    });
    if (aborted(signal)) {
      if (spawned.ok) await killGroup(spawned.value.pid, spawned.value.exited);
      return disposeQuietly(prepared);
    }
    if (!spawned.ok) {
      await disposeQuietly(prepared);
      if (aborted(signal)) return;
      return this.attemptFailed(spawned.error);
    }
    this.launching = undefined;
    this.attempts = number;
    this.begin(spawned.value, prepared, env, number);
  }

  /** A failure before any process ran (spawn error, preStart hook): reported once, policy applies. */
  private attemptFailed(failure: Failure): void {
    this.launching = undefined;
    const key = failure.reason === 'spawn-error' ? `${failure.code}:${failure.binary}` : undefined;
    const repeated = key !== undefined && key === this.spawnErrorKey;
    this.spawnErrorKey = key;
    const decision = decide(this.spec, { kind: 'failure', failure, uptimeMs: 0, wasReady: false }, this.streak);
    if (decision.action === 'restart' && !repeated) this.warn(describeFailure(failure));
    this.apply(decision, decision.action === 'restart' ? undefined : failure);
  }

  private begin(child: SpawnedChild, prepared: PreparedReady, env: Record<string, string>, number: number): void {
    const attempt: Attempt = {
      number,
      child,
      startedAt: Date.now(),
      abort: new AbortController(),
      prepared,
      output: new OutputBuffer(),
      env,
      stopping: undefined,
      health: undefined,
    };
    this.host.track(child.pid);
    const log = this.host.logWriter(this.spec);
    const wired = wireOutput(child, attempt.output, (line, stream, at) => {
      log.write(line, stream, at);
      this.host.emit({ type: 'task-output', task: this.name, stream, line, at });
    });
    this.pid = child.pid;
    this.startedAt = attempt.startedAt;
    this.readyAt = null;
    this.exitCode = null;
    this.exitSignal = null;
    this.health = this.spec.health === undefined ? null : 'unknown';
    this.spawnErrorKey = undefined;
    this.host.emit({ type: 'task-spawn', task: this.name, pid: child.pid, attempt: number, at: attempt.startedAt });
    this.enter({ state: 'starting', attempt });
    void child.exited.then((exit) => this.onExit(attempt, exit, wired));
    this.fireHooks('postStart', attempt);
    if (this.spec.ready === undefined) {
      this.markReady(attempt);
      return;
    }
    this.host.emit({ type: 'task-waiting', task: this.name, on: describeReady(this.spec.ready), at: Date.now() });
    void prepared.wait(this.readyRun(attempt)).then((result) => {
      if (this.run.state !== 'starting' || this.run.attempt !== attempt) return;
      if (result.ok) this.markReady(attempt);
      else this.stopAttempt(attempt, { kind: 'failure', failure: result.error });
    });
  }

  private readyRun(attempt: Attempt): ReadyRun {
    return {
      task: this.name,
      pid: attempt.child.pid,
      cwd: this.spec.cwd,
      env: attempt.env,
      output: attempt.output,
      notify: attempt.child.notify,
      timeoutMs: this.spec.readyTimeoutMs,
      signal: attempt.abort.signal,
      plugins: this.host.readyPlugins,
    };
  }

  private markReady(attempt: Attempt): void {
    const readyAt = Date.now();
    this.readyAt = readyAt;
    this.host.emit({ type: 'task-ready', task: this.name, elapsedMs: readyAt - attempt.startedAt, at: readyAt });
    this.enter({ state: 'ready', attempt, readyAt });
    this.fireHooks('onReady', attempt);
    const health = this.spec.health;
    if (health !== undefined) {
      attempt.health = this.host.startHealth(health, this.readyRun(attempt), (report) => this.onHealth(attempt, report));
    }
  }

  private onHealth(attempt: Attempt, report: HealthReport): void {
    if (liveAttempt(this.run) !== attempt || this.run.state === 'stopping') return;
    const at = Date.now();
    this.host.emit({ type: 'task-health', task: this.name, healthy: report.healthy, failures: report.failures, message: report.message, at });
    if (report.healthy) this.health = 'healthy';
    if (!report.unhealthy) return;
    this.health = 'unhealthy';
    const strategy = describeReady(this.spec.health?.check);
    const failure: Failure = { reason: 'unhealthy', task: this.name, strategy, failures: report.failures, message: report.message ?? 'check failed' };
    this.stopAttempt(attempt, { kind: 'failure', failure });
  }

  /** Starts stopping the group by the stop spec (idempotent per attempt). */
  private stopAttempt(attempt: Attempt, cause: StopCause): void {
    const run = this.run;
    if (run.state !== 'starting' && run.state !== 'ready') return;
    const readyAt = run.state === 'ready' ? run.readyAt : undefined;
    this.enter({ state: 'stopping', attempt, readyAt, cause }, cause.kind === 'failure' ? cause.failure : undefined);
    attempt.abort.abort();
    attempt.health?.stop();
    attempt.stopping ??= stopGroup(attempt.child.pid, {
      spec: this.spec.stop,
      exited: attempt.child.exited,
      runCommand: (command, timeoutMs) => runStopCommand(command, { cwd: this.spec.cwd, env: attempt.env, timeoutMs }),
    });
  }

  private async onExit(attempt: Attempt, exit: ChildExit, wired: WiredOutput): Promise<void> {
    attempt.abort.abort();
    attempt.health?.stop();
    // During a requested stop the group may still be shutting down gracefully: let stopGroup finish.
    // When the leader exited on its own, nothing of its group may stay behind.
    await (attempt.stopping ?? killGroup(attempt.child.pid, attempt.child.exited));
    this.host.untrack(attempt.child.pid);
    await settlesWithin(attempt.child.closed, PIPE_GRACE_MS);
    wired.finish();
    void disposeQuietly(attempt.prepared);
    this.lastLines = attempt.output.recent().slice(-10);
    this.exitCode = exit.code;
    this.exitSignal = exit.signal;
    const uptimeMs = exit.at - attempt.startedAt;
    this.host.emit({ type: 'task-exit', task: this.name, pid: attempt.child.pid, code: exit.code, signal: exit.signal, uptimeMs, at: exit.at });
    this.fireHooks('onExit', attempt, exit);
    const run = this.run;
    const wasReady = this.readyAt !== null;
    if ((run.state === 'stopping' && run.cause.kind === 'request') || this.host.shuttingDown()) {
      this.enter({ state: 'stopped', endedAt: Date.now() });
      return;
    }
    const end: AttemptEnd =
      run.state === 'stopping' && run.cause.kind === 'failure'
        ? { kind: 'failure', failure: run.cause.failure, uptimeMs, wasReady }
        : { kind: 'exit', code: exit.code, signal: exit.signal, uptimeMs, wasReady, lastLines: this.lastLines };
    this.decideEnd(end);
  }

  private decideEnd(end: AttemptEnd): void {
    const decision = decide(this.spec, end, this.streak);
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
        this.streak = decision.streak;
        this.restarts += 1;
        this.enter({ state: 'backoff', until: now + decision.delayMs, delayMs: decision.delayMs, failure: reported }, reported);
        this.host.emit({ type: 'task-restart', task: this.name, attempt: this.restarts, delayMs: decision.delayMs, at: now });
        this.fireHooks('onRestart', undefined, { code: this.exitCode, signal: this.exitSignal });
        this.launch(decision.delayMs);
        return;
      default:
        return unreachable(decision);
    }
  }

  // ── plumbing ────────────────────────────────────────────────────────────

  private enter(next: TaskRun, failure?: Failure): void {
    const previous = this.run.state;
    if (!canTransition(previous, next.state)) {
      this.warn(`internal: ignored transition ${previous} → ${next.state} — please report`);
      return;
    }
    this.run = next;
    const event = { type: 'task-state' as const, task: this.name, state: next.state, previous, at: Date.now() };
    this.host.emit(failure === undefined ? event : { ...event, failure });
    if (liveAttempt(next) === undefined) for (const wake of [...this.waiters]) wake();
    this.host.changed(this, previous);
  }

  private untilNotLive(): Promise<void> {
    if (liveAttempt(this.run) === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        this.waiters.delete(wake);
        resolve();
      };
      this.waiters.add(wake);
    });
  }

  private warn(message: string): void {
    this.host.emit({ type: 'task-warning', task: this.name, message, at: Date.now() });
  }

  private hookContext(attempt: number, env: Readonly<Record<string, string>>, exit?: HookExit): HookContext {
    return {
      task: this.name,
      baseName: this.baseName,
      replica: this.replica,
      pid: this.pid ?? undefined,
      attempt,
      cwd: this.spec.cwd,
      env,
      exitCode: exit?.code,
      exitSignal: exit?.signal,
      signal: this.host.hookSignal(),
    };
  }

  private fireHooks(name: HookName, attempt: Attempt | undefined, exit?: HookExit): void {
    if (this.spec.hooks[name] === undefined && !this.host.plugins.some((p) => p.hooks[name] !== undefined)) return;
    const context = this.hookContext(attempt?.number ?? this.attempts, attempt?.env ?? this.spec.env, exit);
    void runHooks(name, context, this.spec.hooks, this.host.plugins).then((failures) => {
      for (const failure of failures) this.warn(describeFailure(failure));
    });
  }
}

/** Read through a call, so the compiler does not assume an earlier check still holds after an await. */
function aborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

/** Removing a FIFO that is already gone is not worth a crash. */
function disposeQuietly(prepared: PreparedReady): Promise<void> {
  return prepared.dispose().catch(() => undefined);
}
