/** Validated input → the normalised model: milliseconds, absolute paths, defaults filled. */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { error, warning, type Diagnostic } from '../core/diagnostics.js';
import type {
  Command,
  ControlSpec,
  Dependency,
  HealthSpec,
  LogSpec,
  PluginSpec,
  RestartSpec,
  StopSpec,
  TaskSpec,
} from '../core/model.js';
import type { ReadySpec } from '../core/ready-spec.js';
import { parseSize, toMs } from '../util/duration.js';
import { toReadySpec, type ControlInput, type DependencyInput, type PluginInput, type ReadyInput, type TaskInput } from './define.js';
import type { EnvFileReader } from './env-file.js';
import { show } from './messages.js';

export const DEFAULTS = {
  readyTimeoutMs: 60_000,
  backoffMs: 100,
  factor: 2,
  maxBackoffMs: 30_000,
  maxRestarts: 10,
  minUptimeMs: 1000,
  exitCodes: [0],
  stopSignal: 'SIGTERM',
  stopTimeoutMs: 10_000,
  logMaxSizeBytes: 10 * 1024 * 1024,
  logMaxFiles: 5,
  healthIntervalMs: 10_000,
  healthTimeoutMs: 5000,
  healthRetries: 3,
  stateDir: '.ignite',
  shutdownTimeoutMs: 30_000,
  httpHost: '127.0.0.1',
} as const;

export interface NormalizeContext {
  /** The config file's folder. */
  dir: string;
  /** Absolute. */
  stateDir: string;
  /** Top-level env, under each task's env files and env. */
  env: Record<string, string>;
  readEnvFile: EnvFileReader;
}

/** `index` is the task's position in `tasks`, for the paths of diagnostics. */
export function normalizeTask(task: TaskInput, index: number, ctx: NormalizeContext, diagnostics: Diagnostic[]): TaskSpec {
  const oneshot = task.oneshot ?? false;
  return {
    name: task.name,
    description: task.description,
    command: toCommand(task.command),
    cwd: resolve(ctx.dir, task.cwd ?? '.'),
    env: { ...ctx.env, ...envFiles(task, index, ctx, diagnostics), ...task.env },
    inheritEnv: task.inheritEnv ?? true,
    dependsOn: (task.dependsOn ?? []).map(toDependency),
    ready: task.ready === undefined ? undefined : normalizeReady(task.ready),
    readyTimeoutMs: ms(task.readyTimeout, DEFAULTS.readyTimeoutMs),
    health: toHealth(task),
    oneshot,
    restart: toRestart(task, oneshot),
    onFailure: task.required === true ? 'shutdown' : (task.onFailure ?? 'continue'),
    stop: toStop(task),
    signals: { ...task.signals },
    replicas: task.replicas ?? 1,
    startDelayMs: ms(task.startDelay, 0),
    autostart: task.autostart ?? true,
    user: task.user,
    group: task.group,
    umask: typeof task.umask === 'string' ? parseUmask(task.umask) : task.umask,
    cpus: task.cpus,
    logs: toLogs(task, ctx),
    hooks: { ...task.hooks },
    tags: task.tags ?? [],
  };
}

/** `"022"`, `"0"`, `"0o022"`: 1 to 4 octal digits, optionally after `0o`; undefined for anything else. */
export function parseUmask(text: string): number | undefined {
  const digits = /^(?:0o)?([0-7]{1,4})$/.exec(text)?.[1];
  return digits === undefined ? undefined : Number.parseInt(digits, 8);
}

const ms = (value: number | string | undefined, fallback: number): number => (value === undefined ? fallback : toMs(value));

export function toCommand(command: string | string[]): Command {
  if (typeof command === 'string') return { kind: 'shell', script: command };
  const [file = '', ...args] = command;
  return { kind: 'exec', file, args };
}

export function dependencyName(dep: DependencyInput): string {
  if (typeof dep === 'string') return dep;
  if ('task' in dep) return typeof dep.task === 'string' ? dep.task : dep.task.name;
  return dep.name;
}

/** The first entry for each dependency: a task listed twice is one edge (a rule warns). */
export function uniqueDependencies(spec: TaskSpec): TaskSpec {
  const seen = new Set<string>();
  const dependsOn = spec.dependsOn.filter((dep) => {
    if (seen.has(dep.task)) return false;
    seen.add(dep.task);
    return true;
  });
  return dependsOn.length === spec.dependsOn.length ? spec : { ...spec, dependsOn };
}

function toDependency(dep: DependencyInput): Dependency {
  const options: { condition?: Dependency['condition']; restart?: boolean } = typeof dep === 'object' && 'task' in dep ? dep : {};
  return { task: dependencyName(dep), condition: options.condition ?? 'ready', restart: options.restart ?? false };
}

/** Functions become `{ kind: 'function' }`; data strategies get their optional fields filled. */
export function normalizeReady(input: ReadyInput): ReadySpec {
  if (typeof input === 'function') return toReadySpec(input);
  switch (input.kind) {
    case 'log':
      return { ...input, stream: (input as Partial<typeof input>).stream ?? 'both' };
    case 'tcp':
      return { kind: 'tcp', host: input.host, port: input.port };
    case 'http': {
      const http = input as Partial<typeof input> & { url: string };
      return { ...input, method: http.method ?? 'GET', headers: http.headers ?? {}, status: http.status, timeout: http.timeout };
    }
    case 'command':
      return { ...input, timeout: input.timeout };
    case 'all':
    case 'any':
      return { kind: input.kind, strategies: input.strategies.map(normalizeReady) };
    case 'delay':
    case 'file':
    case 'pipe':
    case 'notify':
    case 'function':
    case 'plugin':
      return input;
  }
}

function envFiles(task: TaskInput, index: number, ctx: NormalizeContext, diagnostics: Diagnostic[]): Record<string, string> {
  if (task.envFile === undefined) return {};
  const files = Array.isArray(task.envFile) ? task.envFile : [task.envFile];
  const env: Record<string, string> = {};
  files.forEach((file, i) => {
    const path = Array.isArray(task.envFile) ? `tasks[${index}].envFile[${i}]` : `tasks[${index}].envFile`;
    const full = resolve(ctx.dir, file);
    const result = ctx.readEnvFile(full);
    if (!result.ok) {
      diagnostics.push(error(path, result.error + inTaskCwd(task, file, ctx.dir, full)));
      return;
    }
    Object.assign(env, result.value.env);
    for (const { line, text } of result.value.skipped) {
      diagnostics.push(warning(path, `${file}:${line}: cannot parse ${show(text)} (expected NAME=value)`));
    }
  });
  return env;
}

/**
 * A missing env file that the task's cwd holds: a workspace package's `.env` (`cwd: 'packages/api'`,
 * `envFile: '.env'`). Paths resolve against the config's folder, as compose's env_file does.
 */
function inTaskCwd(task: TaskInput, file: string, dir: string, full: string): string {
  if (task.cwd === undefined || isAbsolute(file) || existsSync(full)) return '';
  const candidate = resolve(dir, task.cwd, file);
  if (!existsSync(candidate)) return '';
  return ` (envFile is relative to the config's folder, not to the task's cwd) — did you mean "${relative(dir, candidate)}"?`;
}

function toHealth(task: TaskInput): HealthSpec | undefined {
  const health = task.health;
  if (health === undefined) return undefined;
  return {
    check: normalizeReady(health.check),
    intervalMs: ms(health.interval, DEFAULTS.healthIntervalMs),
    timeoutMs: ms(health.timeout, DEFAULTS.healthTimeoutMs),
    retries: health.retries ?? DEFAULTS.healthRetries,
    startPeriodMs: ms(health.startPeriod, 0),
  };
}

function toRestart(task: TaskInput, oneshot: boolean): RestartSpec {
  const input = typeof task.restart === 'string' ? { policy: task.restart } : (task.restart ?? {});
  return {
    policy: input.policy ?? (oneshot ? 'never' : 'on-failure'),
    backoffMs: ms(input.backoff, DEFAULTS.backoffMs),
    maxBackoffMs: ms(input.maxBackoff, DEFAULTS.maxBackoffMs),
    factor: input.factor ?? DEFAULTS.factor,
    maxRestarts: input.maxRestarts ?? DEFAULTS.maxRestarts,
    minUptimeMs: ms(input.minUptime, DEFAULTS.minUptimeMs),
    exitCodes: input.exitCodes ?? [...DEFAULTS.exitCodes],
  };
}

function toStop(task: TaskInput): StopSpec {
  return {
    signal: task.stop?.signal ?? DEFAULTS.stopSignal,
    timeoutMs: ms(task.stop?.timeout, DEFAULTS.stopTimeoutMs),
    command: task.stop?.command === undefined ? undefined : toCommand(task.stop.command),
  };
}

function toLogs(task: TaskInput, ctx: NormalizeContext): LogSpec {
  const mixed = task.logs?.mixed ?? true;
  const given = task.logs?.file;
  const base = given === undefined ? join(ctx.stateDir, 'logs', `${task.name}.log`) : resolve(ctx.dir, given);
  return {
    file: mixed ? base : withSuffix(base, 'out'),
    errFile: mixed ? undefined : withSuffix(base, 'err'),
    maxSizeBytes: task.logs?.maxSize === undefined ? DEFAULTS.logMaxSizeBytes : (parseSize(task.logs.maxSize) ?? DEFAULTS.logMaxSizeBytes),
    maxFiles: task.logs?.maxFiles ?? DEFAULTS.logMaxFiles,
    mixed,
    timestamps: task.logs?.timestamps ?? false,
  };
}

/** `logs/api.log` → `logs/api.out.log`. */
function withSuffix(file: string, suffix: string): string {
  return file.endsWith('.log') ? `${file.slice(0, -4)}.${suffix}.log` : `${file}.${suffix}.log`;
}

export function normalizePlugin(plugin: PluginInput): PluginSpec {
  return {
    name: plugin.name,
    readyStrategies: { ...plugin.readyStrategies },
    hooks: { ...plugin.hooks },
    statsHandlers: plugin.statsHandlers ?? [],
    controlServers: plugin.controlServers ?? [],
  };
}

export function normalizeControl(control: ControlInput | undefined, dir: string, stateDir: string): ControlSpec {
  const http = control?.http;
  return {
    socket: control?.socket ?? true,
    http:
      http === undefined
        ? undefined
        : {
            host: http.host ?? DEFAULTS.httpHost,
            port: http.port,
            token: http.token,
            tokenFile: http.tokenFile === undefined ? join(stateDir, 'control.token') : resolve(dir, http.tokenFile),
          },
  };
}
