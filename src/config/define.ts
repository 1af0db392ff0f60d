/**
 * What a user writes in `ignite.config.ts`. This module is the public entry's
 * whole weight: it must import nothing at run time but the `ready` builders.
 */
import type { Duration, ReadySpec, ReadyFunction, LogStream, PluginReadyFunction } from '../core/ready-spec.js';
import type {
  DependencyCondition,
  OnFailure,
  RestartPolicy,
  Signal,
  TaskHooks,
  StatsHandler,
  ControlServerFactory,
} from '../core/model.js';

export type ReadyInput = ReadySpec | ReadyFunction;

/** A task as a dependency: the task object itself (what defineTask returns); by name, write the name. */
export interface TaskRef {
  readonly name: string;
  readonly command: string | readonly string[];
}

export type DependencyInput =
  | TaskRef
  | string
  | { task: TaskRef | string; condition?: DependencyCondition; restart?: boolean };

export interface RestartInput {
  policy?: RestartPolicy;
  backoff?: Duration;
  maxBackoff?: Duration;
  factor?: number;
  maxRestarts?: number;
  minUptime?: Duration;
  exitCodes?: number[];
}

export interface HealthInput {
  check: ReadyInput;
  interval?: Duration;
  timeout?: Duration;
  retries?: number;
  startPeriod?: Duration;
}

export interface StopInput {
  signal?: Signal;
  timeout?: Duration;
  command?: string | string[];
}

export interface LogsInput {
  file?: string;
  maxSize?: number | string;
  maxFiles?: number;
  mixed?: boolean;
  timestamps?: boolean;
}

export interface TaskInput {
  name: string;
  description?: string;
  command: string | string[];
  cwd?: string;
  env?: Record<string, string>;
  envFile?: string | string[];
  inheritEnv?: boolean;
  dependsOn?: DependencyInput[];
  ready?: ReadyInput;
  readyTimeout?: Duration;
  health?: HealthInput;
  oneshot?: boolean;
  restart?: RestartPolicy | RestartInput;
  onFailure?: OnFailure;
  required?: boolean;
  stop?: StopInput;
  signals?: Partial<Record<Signal, Signal>>;
  replicas?: number;
  startDelay?: Duration;
  autostart?: boolean;
  user?: string | number;
  group?: string | number;
  umask?: string | number;
  cpus?: number[];
  logs?: LogsInput;
  hooks?: TaskHooks;
  tags?: string[];
}

export interface PluginInput {
  name: string;
  readyStrategies?: Record<string, PluginReadyFunction>;
  hooks?: TaskHooks;
  statsHandlers?: StatsHandler[];
  controlServers?: ControlServerFactory[];
}

export interface ControlInput {
  socket?: boolean;
  http?: { host?: string; port: number; token?: string; tokenFile?: string };
}

export interface ConfigInput {
  tasks: TaskInput[];
  plugins?: PluginInput[];
  env?: Record<string, string>;
  stateDir?: string;
  shutdownTimeout?: Duration;
  control?: ControlInput;
}

export type ConfigExport = ConfigInput | (() => ConfigInput | Promise<ConfigInput>);

/**
 * Declares a task. Returns it unchanged, typed, so other tasks can depend on it. Not
 * generic on purpose: an object literal checked against TaskInput itself gets
 * TypeScript's excess-property check, so a misspelled field is a type error.
 */
export function defineTask(task: TaskInput): TaskInput {
  return task;
}

type ConfigFunction = () => ConfigInput | Promise<ConfigInput>;

/** Declares the stack: an object, or a (possibly async) function returning one. */
export function defineConfig(config: ConfigInput): ConfigInput;
export function defineConfig(config: ConfigFunction): ConfigFunction;
export function defineConfig(config: ConfigExport): ConfigExport {
  return config;
}

export function definePlugin(plugin: PluginInput): PluginInput {
  return plugin;
}

interface HttpOptions {
  status?: number | number[];
  method?: string;
  headers?: Record<string, string>;
  timeout?: Duration;
}

/** Anything but an array goes to validation as it is: `ready.all(a, b)` must get a config error, not a throw here. */
function readySpecs(strategies: ReadyInput[]): ReadySpec[] {
  const given: unknown = strategies;
  return Array.isArray(given) ? strategies.map(toReadySpec) : (given as ReadySpec[]);
}

/** Builders for every ready strategy in the SPEC. They only describe; `src/ready/` runs them. */
export const ready = {
  log: (pattern: RegExp | string, options: { stream?: LogStream } = {}): ReadySpec => ({
    kind: 'log',
    pattern: typeof pattern === 'string' ? new RegExp(escapeRegExp(pattern)) : pattern,
    stream: options.stream ?? 'both',
  }),
  delay: (duration: Duration): ReadySpec => ({ kind: 'delay', duration }),
  tcp: (target: number | { host?: string; port: number }): ReadySpec => {
    const given: unknown = target;
    // anything but an object goes to validation as it is: `ready.tcp(process.env.PORT)` must not throw here
    if (typeof given !== 'object' || given === null) return { kind: 'tcp', host: undefined, port: given as number };
    const { host, port } = given as { host?: string; port: number };
    return { kind: 'tcp', host, port };
  },
  http: (url: string, options: HttpOptions = {}): ReadySpec => ({
    kind: 'http',
    url,
    status: options.status,
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    timeout: options.timeout,
  }),
  file: (path: string): ReadySpec => ({ kind: 'file', path }),
  pipe: (): ReadySpec => ({ kind: 'pipe' }),
  command: (command: string | string[], options: { timeout?: Duration } = {}): ReadySpec => ({
    kind: 'command',
    command,
    timeout: options.timeout,
  }),
  notify: (): ReadySpec => ({ kind: 'notify' }),
  all: (strategies: ReadyInput[]): ReadySpec => ({ kind: 'all', strategies: readySpecs(strategies) }),
  any: (strategies: ReadyInput[]): ReadySpec => ({ kind: 'any', strategies: readySpecs(strategies) }),
  fn: (fn: ReadyFunction, label?: string): ReadySpec => ({ kind: 'function', fn, label: label ?? functionLabel(fn) }),
  plugin: (name: string, params?: unknown): ReadySpec => ({ kind: 'plugin', name, params }),
};

export function toReadySpec(input: ReadyInput): ReadySpec {
  return typeof input === 'function' ? { kind: 'function', fn: input, label: functionLabel(input) } : input;
}

function functionLabel(fn: ReadyFunction): string {
  return fn.name === '' ? 'anonymous' : fn.name;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
