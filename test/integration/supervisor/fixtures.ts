/**
 * StackSpec fixtures for the supervisor tests, with the SPEC's defaults filled
 * (independent of config/), and an event recorder that waits with bounded timeouts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SupervisorEvent, EventOf } from '../../../src/core/events.js';
import type { Command, RestartSpec, StackSpec, StopSpec, TaskSpec } from '../../../src/core/model.js';
import { afterEach, expect } from 'vitest';
import type { ReadySpec } from '../../../src/core/ready-spec.js';
import { Supervisor, type SupervisorOptions } from '../../../src/supervisor/supervisor.js';
import { findTagged } from '../../helpers/procs.js';

export type TaskOverrides = Partial<Omit<TaskSpec, 'restart' | 'stop' | 'command'>> & {
  restart?: Partial<RestartSpec>;
  stop?: Partial<StopSpec>;
};

/** A folder for one test's state and logs; removed by `cleanupDirs()`. */
const dirs: string[] = [];
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ignite-sup-'));
  dirs.push(dir);
  return dir;
}
export function cleanupDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function command(value: string | string[]): Command {
  if (typeof value === 'string') return { kind: 'shell', script: value };
  const [file, ...args] = value;
  return { kind: 'exec', file: file ?? 'true', args };
}

export function task(name: string, cmd: string | string[], overrides: TaskOverrides = {}, dir = tmpdir()): TaskSpec {
  const oneshot = overrides.oneshot ?? false;
  const { restart, stop, ...rest } = overrides;
  return {
    name,
    description: undefined,
    command: command(cmd),
    cwd: dir,
    env: {},
    inheritEnv: true,
    dependsOn: [],
    ready: undefined,
    readyTimeoutMs: 10_000,
    health: undefined,
    oneshot,
    onFailure: 'continue',
    signals: {},
    replicas: 1,
    startDelayMs: 0,
    autostart: true,
    user: undefined,
    group: undefined,
    umask: undefined,
    cpus: undefined,
    logs: { file: join(dir, 'logs', `${name}.log`), errFile: undefined, maxSizeBytes: 10 * 1024 * 1024, maxFiles: 5, mixed: true, timestamps: false },
    hooks: {},
    tags: [],
    ...rest,
    restart: {
      policy: oneshot ? 'never' : 'on-failure',
      backoffMs: 50,
      maxBackoffMs: 30_000,
      factor: 2,
      maxRestarts: 10,
      minUptimeMs: 0,
      exitCodes: [0],
      ...restart,
    },
    stop: { signal: 'SIGTERM', timeoutMs: 2000, command: undefined, ...stop },
  };
}

/** Every task of these tests carries this worker's pid, so a test sees only its own processes. */
export const WORKER_VAR = 'IGNITE_SUP_WORKER';
const WORKER = String(process.pid);

/** Builds a stack in a fresh temp folder; `tasks` receives that folder for cwd/log paths. */
export function stack(tasks: (dir: string) => TaskSpec[], overrides: Partial<StackSpec> = {}): StackSpec {
  const dir = tempDir();
  return {
    file: join(dir, 'ignite.config.ts'),
    dir,
    tasks: tasks(dir).map((t) => ({ ...t, env: { [WORKER_VAR]: WORKER, ...t.env } })),
    plugins: [],
    env: {},
    stateDir: join(dir, '.ignite'),
    shutdownTimeoutMs: 10_000,
    control: { socket: false, http: undefined },
    ...overrides,
  };
}

export const dep = (name: string, condition: 'started' | 'ready' | 'completed' = 'ready', restart = false) => ({
  task: name,
  condition,
  restart,
});

/** Records every event of a supervisor and waits for the ones a test expects. */
export class Recorder {
  readonly events: SupervisorEvent[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(supervisor: Supervisor) {
    supervisor.on('event', (event: SupervisorEvent) => {
      this.events.push(event);
      for (const wake of [...this.waiters]) wake();
    });
  }

  of<T extends SupervisorEvent['type']>(type: T, task?: string): EventOf<T>[] {
    return this.events.filter((e): e is EventOf<T> => e.type === type && (task === undefined || ('task' in e && e.task === task)));
  }

  states(task: string): string[] {
    return this.of('task-state', task).map((e) => e.state);
  }

  /** Resolves with the first event matching, past or future; rejects after `timeoutMs`. */
  waitFor<T extends SupervisorEvent['type']>(
    type: T,
    predicate: (event: EventOf<T>) => boolean = () => true,
    timeoutMs = 8000,
  ): Promise<EventOf<T>> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.of(type).find(predicate);
        if (found === undefined) return false;
        this.waiters.delete(wake);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const wake = (): void => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`timed out waiting for ${type}; saw:\n${this.events.map((e) => JSON.stringify(e)).join('\n')}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(wake);
    });
  }

  state(task: string, state: string, timeoutMs?: number): Promise<EventOf<'task-state'>> {
    return this.waitFor('task-state', (e) => e.task === task && e.state === state, timeoutMs);
  }
}

/** Live (non-zombie) processes started by this test file's tasks (however deep), optionally only those whose command line starts with `marker`. */
export function leftovers(marker?: string): number[] {
  return findTagged(WORKER, WORKER_VAR)
    .filter((p) => !p.zombie && (marker === undefined || p.cmdline.startsWith(marker)))
    .map((p) => p.pid);
}

/** Kills whatever a failed test left behind (the suite then still reports it). */
export function killLeftovers(): number[] {
  const pids = leftovers();
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  return pids;
}

/** Waits until `check` holds (bounded); for /proc facts that settle a few ms after an event. */
export async function eventually(check: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let wait = 5;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, 50);
  }
  return true;
}

/** Creates supervisors for a test file; after each test: force down, no process left, temp folders removed. */
export function harness(): (spec: StackSpec, options?: SupervisorOptions) => { sup: Supervisor; rec: Recorder } {
  const made: Supervisor[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((s) => s.down({ force: true })));
    const clean = await eventually(() => leftovers().length === 0, 3000);
    const killed = killLeftovers();
    cleanupDirs();
    expect({ clean, killed }).toEqual({ clean: true, killed: [] });
  });
  return (spec, options) => {
    const sup = new Supervisor(spec, options);
    made.push(sup);
    return { sup, rec: new Recorder(sup) };
  };
}

export const logReady = (pattern: RegExp): ReadySpec => ({ kind: 'log', pattern, stream: 'both' });
