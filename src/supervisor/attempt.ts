/**
 * One attempt of an instance, apart from what it means for the state machine:
 * getting a process (startDelay → ready preparation → preStart → spawn), wiring
 * its output, the context its readiness and health probes get, and the cleanup
 * once its leader has exited. `instance.ts` decides what each outcome means.
 */
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Failure } from '../core/failure.js';
import type { HookContext, TaskSpec } from '../core/model.js';
import type { PreparedReady, PrepareOptions, ReadyRun } from '../ready/types.js';
import { ok, type Result } from '../core/result.js';
import { describeReady } from '../core/ready-spec.js';
import { awaitedFiles, describeHolder, portHolders, probedPorts } from '../ready/preflight.js';
import { warnOfDaemons } from './daemons.js';
import { isAbortError, LazyAbort, sleep } from '../util/abort.js';
import { buildEnv } from './env.js';
import type { InstanceHost } from './instance-host.js';
import { wireOutput, type Backlog, type LinesHandler, type WiredOutput } from './instance-output.js';
import { OutputBuffer } from './output/output-buffer.js';
import { resolveCredentials } from './process/resolve.js';
import type { SpawnedChild } from './process/spawn.js';
import { killGroup, runStopCommand, settlesWithin, stopGroup } from './process/stop.js';
import type { Attempt } from './task-run.js';

/** What an attempt needs to know about its instance. */
export interface AttemptOwner {
  readonly name: string;
  readonly replica: number;
  readonly spec: TaskSpec;
  readonly host: InstanceHost;
  /** Processes spawned so far: the next attempt is number `spawns + 1`. */
  readonly spawns: number;
}

export type Launch =
  | { kind: 'aborted' }
  | { kind: 'failed'; failure: Failure }
  | { kind: 'spawned'; child: SpawnedChild; prepared: PreparedReady; env: Record<string, string>; freePorts: number[] };

export type Spawned = Extract<Launch, { kind: 'spawned' }>;

const ABORTED: Launch = { kind: 'aborted' };

/** The reason every ended attempt aborts with: a new DOMException (and its stack) per attempt costs a crash loop. */
const ATTEMPT_ENDED = Object.assign(new Error('the attempt ended'), { name: 'AbortError' });

/** How long to wait for pipes to close once the group is gone (an escaped process may hold them). */
const PIPE_GRACE_MS = 500;

/**
 * Gets a process for the next attempt. Once `signal` aborts, nothing is spawned,
 * and what was already made (FIFO, process) is removed before this resolves.
 */
export async function launchAttempt(
  owner: AttemptOwner,
  delayMs: number,
  signal: AbortSignal,
  preStart: (env: Readonly<Record<string, string>>) => Promise<Failure[]>,
): Promise<Launch> {
  try {
    if (delayMs > 0) await sleep(delayMs, signal);
  } catch (error) {
    if (aborted(signal) || isAbortError(error)) return ABORTED;
    throw error;
  }
  const { host, spec } = owner;
  const fifoOwner = await fifoOwnerOf(owner);
  if (!fifoOwner.ok) return aborted(signal) ? ABORTED : { kind: 'failed', failure: fifoOwner.error };
  const options = { task: owner.name, runDir: await host.runDir(), cwd: spec.cwd };
  const prepared = await host.prepareReady(spec.ready, fifoOwner.value === undefined ? options : { ...options, owner: fifoOwner.value });
  if (aborted(signal)) {
    await disposeQuietly(prepared);
    return ABORTED;
  }
  // Ready preparation comes first, so preStart sees the environment the process gets (IGNITE_READY_PIPE too).
  const env = buildEnv(spec, owner, prepared.env, host.baseEnv, { run: host.runId, attempt: owner.spawns + 1 });
  let stopped: Launch | undefined;
  try {
    stopped = await runPreStart(preStart, env, signal);
  } catch (error) {
    await disposeQuietly(prepared);
    throw error;
  }
  if (stopped !== undefined) {
    await disposeQuietly(prepared);
    return stopped;
  }
  const freePorts = await warnOfEarlyAnswers(owner);
  const spawned = await host.spawn({
    task: owner.name,
    command: spec.command,
    cwd: spec.cwd,
    env,
    notifyFd: prepared.needsNotifyFd,
    stdin: spec.oneshot ? 'null' : 'open',
    user: spec.user,
    group: spec.group,
    umask: spec.umask,
    cpus: spec.cpus,
  });
  if (!spawned.ok) {
    await disposeQuietly(prepared);
    return aborted(signal) ? ABORTED : { kind: 'failed', failure: spawned.error };
  }
  const launch: Spawned = { kind: 'spawned', child: spawned.value, prepared, env, freePorts };
  if (!aborted(signal)) return launch;
  await discard(launch);
  return ABORTED;
}

/** Runs preStart: nothing when the launch goes on, else how it ends (aborted, or the hook's failure). */
async function runPreStart(
  preStart: (env: Readonly<Record<string, string>>) => Promise<Failure[]>,
  env: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<Launch | undefined> {
  try {
    const hookFailure = (await preStart(env))[0];
    if (aborted(signal)) return ABORTED;
    return hookFailure === undefined ? undefined : { kind: 'failed', failure: hookFailure };
  } catch (error) {
    if (aborted(signal) || isAbortError(error)) return ABORTED;
    throw error;
  }
}

/** A task that runs as another user needs its FIFO where that user can open it. */
async function fifoOwnerOf(owner: AttemptOwner): Promise<Result<PrepareOptions['owner'], Failure>> {
  const { spec, host } = owner;
  if (spec.ready === undefined || (spec.user === undefined && spec.group === undefined)) return ok(undefined);
  const credentials = await resolveCredentials(owner.name, spec.user, spec.group);
  if (!credentials.ok) return credentials;
  const { uid, gid } = credentials.value;
  return ok(uid === undefined ? undefined : { uid, gid, dir: host.sharedDir });
}

/** Undoes a launch that will not be used: kills its group, closes its pipes, removes its FIFO. */
export async function discard(launch: Spawned): Promise<void> {
  const { child } = launch;
  await killGroup(child.pid, child.exited);
  child.stdout.destroy();
  child.stderr.destroy();
  child.notify?.destroy();
  await disposeQuietly(launch.prepared);
}

/** Makes the Attempt of a spawned process and starts reading its output. */
export function openAttempt(
  owner: AttemptOwner,
  number: number,
  launch: Spawned,
  onLines: LinesHandler,
  backlog: Backlog,
): Attempt {
  const output = new OutputBuffer();
  const wire = (streams: { stdout: Readable; stderr: Readable }): WiredOutput => wireOutput(streams, output, onLines, backlog);
  return {
    number,
    child: launch.child,
    startedAt: Date.now(),
    abort: new LazyAbort(),
    prepared: launch.prepared,
    output,
    wired: wire(launch.child),
    wire,
    env: launch.env,
    freePorts: launch.freePorts,
    stopping: undefined,
    force: new LazyAbort(),
    health: undefined,
  };
}

/** What the attempt's readiness and health probes get. */
export function readyRunOf(owner: AttemptOwner, attempt: Attempt): ReadyRun {
  return {
    task: owner.name,
    pid: attempt.child.pid,
    cwd: owner.spec.cwd,
    env: attempt.env,
    output: attempt.output,
    notify: attempt.child.notify,
    timeoutMs: owner.spec.readyTimeoutMs,
    signal: attempt.abort.signal,
    plugins: owner.host.readyPlugins,
  };
}

/** Stops the attempt's group by the task's stop spec, once; a forced stop cuts a stop command short. */
export function stopAttemptGroup(owner: AttemptOwner, attempt: Attempt): void {
  const { spec } = owner;
  attempt.abort.abort(ATTEMPT_ENDED);
  attempt.health?.stop();
  attempt.stopping ??= stopGroup(attempt.child.pid, {
    spec: spec.stop,
    exited: attempt.child.exited,
    runCommand: (command, timeoutMs) =>
      runStopCommand(command, { cwd: spec.cwd, env: attempt.env, timeoutMs, signal: attempt.force.signal, output: attempt.wire }),
  });
}

/**
 * After the leader exited: the probes stop, nothing of the group stays behind
 * (a requested stop may still be shutting it down gracefully: let it finish),
 * whatever escaped the group is killed (a stop waits for that; during a down,
 * one sweep at its end covers every task), the output is flushed and the FIFO
 * removed. Resolves once all that is done.
 */
export async function closeAttempt(owner: AttemptOwner, attempt: Attempt): Promise<void> {
  const { host } = owner;
  attempt.abort.abort(ATTEMPT_ENDED);
  attempt.health?.stop();
  const { child } = attempt;
  const stopped = attempt.stopping !== undefined;
  await (attempt.stopping ?? killGroup(child.pid, child.exited));
  host.untrack(child.pid);
  // An escapee may hold the output pipes: the sweep runs while we wait for them to close.
  const swept = host.shuttingDown() ? undefined : host.sweepEscapees(owner.name, attempt.number, stopped);
  const daemons = warnOfDaemons(owner, attempt.freePorts);
  await settlesWithin(child.closed, PIPE_GRACE_MS);
  if (stopped) await swept;
  await daemons;
  attempt.wired.finish();
  attempt.child.notify?.destroy();
  await disposeQuietly(attempt.prepared);
}

export type HookExit = { code: number | null; signal: string | null };

export interface HookFacts {
  attempt: number;
  pid: number | undefined;
  env: Readonly<Record<string, string>>;
  signal: AbortSignal;
  exit?: HookExit;
}

export function hookContext(owner: AttemptOwner & { readonly baseName: string }, facts: HookFacts): HookContext {
  const { attempt, pid, env, signal, exit } = facts;
  return {
    task: owner.name,
    baseName: owner.baseName,
    replica: owner.replica,
    pid,
    attempt,
    cwd: owner.spec.cwd,
    // a copy: a hook that changes it changes neither the task's process nor its spec
    env: { ...env },
    exitCode: exit?.code,
    exitSignal: exit?.signal,
    signal,
  };
}

/** Removing a FIFO that is already gone is not worth a crash. */
function disposeQuietly(prepared: PreparedReady): Promise<void> {
  return prepared.dispose().catch(() => undefined);
}

/** Read through a call, so the compiler does not assume an earlier check still holds after an await. */
export function aborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

/**
 * A ready check that may pass on someone else's account: a port another process already
 * listens on (every attempt), a file already there (the first attempt: later ones find
 * the file their predecessor made). Say so. Returns the probed ports nobody listens on.
 */
async function warnOfEarlyAnswers({ name, spec, host, spawns }: AttemptOwner): Promise<number[]> {
  const check = describeReady(spec.ready);
  const warn = (message: string): void => host.emit({ type: 'task-warning', task: name, message, at: Date.now() });
  const ports = probedPorts(spec.ready);
  const holders = await portHolders(ports);
  for (const holder of holders) {
    warn(`${describeHolder(holder)} before ${name} started: its ready check (${check}) may be answered by that process`);
  }
  const free = ports.filter((port) => !holders.some((holder) => holder.port === port));
  if (spawns > 0) return free;
  for (const file of awaitedFiles(spec.ready, spec.cwd).filter((path) => existsSync(path))) {
    warn(`${file} already exists before ${name} started: its ready check (${check}) passes at once, unless something removes the file first`);
  }
  return free;
}
