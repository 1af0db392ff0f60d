/**
 * The validated, normalised stack that `config/` produces and everything else
 * consumes: durations are milliseconds, paths are absolute, defaults are filled.
 */
import type { ReadySpec, ReadyContext, PluginReadyFunction } from './ready-spec.js';
import type { TaskStatus, StatsSample } from './status.js';
import type { SupervisorEvent } from './events.js';
import type { Diagnostic } from './diagnostics.js';
import type { Failure } from './failure.js';
import type { Result } from './result.js';

export type Signal = NodeJS.Signals;

export type Command =
  | { kind: 'shell'; script: string }
  | { kind: 'exec'; file: string; args: string[] };

export type DependencyCondition = 'started' | 'ready' | 'completed';

export interface Dependency {
  task: string;
  condition: DependencyCondition;
  /** Restart this task when that dependency restarts (and is ready again). */
  restart: boolean;
}

export type RestartPolicy = 'always' | 'on-failure' | 'never';

export interface RestartSpec {
  policy: RestartPolicy;
  backoffMs: number;
  maxBackoffMs: number;
  factor: number;
  /** 0 = no restarts at all. */
  maxRestarts: number;
  minUptimeMs: number;
  exitCodes: number[];
}

export type OnFailure = 'continue' | 'stop-dependents' | 'shutdown';

export interface StopSpec {
  signal: Signal;
  timeoutMs: number;
  command: Command | undefined;
}

export interface HealthSpec {
  check: ReadySpec;
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
}

export interface LogSpec {
  /** Absolute path of the mixed log, or of the stdout log when `mixed` is false. */
  file: string;
  /** Absolute path of the stderr log when `mixed` is false. */
  errFile: string | undefined;
  maxSizeBytes: number;
  maxFiles: number;
  mixed: boolean;
  timestamps: boolean;
}

export interface HookContext {
  /** Instance name (`api` or `api:1`). */
  task: string;
  /** The task's name in the config (`api`). */
  baseName: string;
  replica: number;
  pid: number | undefined;
  attempt: number;
  cwd: string;
  env: Readonly<Record<string, string>>;
  /** Set for onExit / onRestart. */
  exitCode: number | null | undefined;
  exitSignal: string | null | undefined;
  signal: AbortSignal;
}

export type Hook = (ctx: HookContext) => void | Promise<void>;
export type HookName = 'preStart' | 'postStart' | 'onReady' | 'onExit' | 'onRestart';
export type TaskHooks = Partial<Record<HookName, Hook>>;

export interface TaskSpec {
  name: string;
  description: string | undefined;
  command: Command;
  cwd: string;
  /** envFile values merged with `env` (env wins); the inherited environment is not included. */
  env: Record<string, string>;
  inheritEnv: boolean;
  dependsOn: Dependency[];
  ready: ReadySpec | undefined;
  readyTimeoutMs: number;
  health: HealthSpec | undefined;
  oneshot: boolean;
  restart: RestartSpec;
  onFailure: OnFailure;
  stop: StopSpec;
  signals: Partial<Record<Signal, Signal>>;
  replicas: number;
  startDelayMs: number;
  autostart: boolean;
  user: string | number | undefined;
  group: string | number | undefined;
  umask: number | undefined;
  cpus: number[] | undefined;
  logs: LogSpec;
  hooks: TaskHooks;
  tags: string[];
}

// `void` keeps `async (): Promise<void>` implementations assignable (plugins, fakes).
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type
export type ControlActionResult = Result<string[], Failure> | void;

/** The operations every control surface (socket, HTTP, plugin control servers) offers. */
export interface ControlApi {
  status(patterns?: string[]): TaskStatus[];
  /**
   * The engine answers with the instances acted on, or `no-match`; an implementation
   * returning `Promise<void>` is accepted too.
   */
  start(patterns: string[]): Promise<ControlActionResult>;
  stop(patterns: string[]): Promise<ControlActionResult>;
  restart(patterns: string[]): Promise<ControlActionResult>;
  kill(patterns: string[], signal?: Signal): Promise<ControlActionResult>;
  down(): Promise<void>;
  subscribe(listener: (event: SupervisorEvent) => void): () => void;
  /**
   * Loads the config file again and applies it (`ignite reload`); absent where no config file
   * is at hand. An invalid config fails with its problems as `message`; a stack that cannot
   * take it (shutting down) with that `failure` too.
   */
  reload?(): Promise<Result<ReloadSummary, { message: string; failure?: Failure }>>;
}

/** What a reload did, by task name. */
export interface ReloadSummary {
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: string[];
  /** Added or changed tasks that were started (changed ones: only those that had been started). */
  started: string[];
  /** Unchanged tasks restarted because they depend with `restart: true` on a changed one. */
  followed: string[];
  /** Tasks that were not running and were started because a new or changed task needs them. */
  pulledIn: string[];
  /** Settings a reload does not apply to a running stack (`stateDir`, `control`, `plugins`). */
  notApplied: string[];
}

export interface ControlServer {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

export type ControlServerFactory = (api: ControlApi) => ControlServer;
export type StatsHandler = (sample: StatsSample) => void | Promise<void>;

export interface PluginSpec {
  name: string;
  readyStrategies: Record<string, PluginReadyFunction>;
  hooks: TaskHooks;
  statsHandlers: StatsHandler[];
  controlServers: ControlServerFactory[];
}

export interface ControlSpec {
  /** Serve the Unix control socket (default true). */
  socket: boolean;
  /** Optional loopback TCP listener; always demands a bearer token. */
  http: { host: string; port: number; token: string | undefined; tokenFile: string } | undefined;
}

export interface StackSpec {
  /** Absolute path of the config file. */
  file: string;
  /** The config file's folder; relative paths resolved against it. */
  dir: string;
  tasks: TaskSpec[];
  plugins: PluginSpec[];
  /** Top-level env, merged under every task's env. Already folded into each TaskSpec.env. */
  env: Record<string, string>;
  stateDir: string;
  shutdownTimeoutMs: number;
  control: ControlSpec;
  /** Warnings found while validating a config that is otherwise valid (the CLI prints them). */
  warnings?: Diagnostic[];
}

export type { ReadySpec, ReadyContext };
