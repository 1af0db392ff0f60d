/**
 * The public API a config imports. Keep it tiny: importing this module must not
 * load zod, graphology, listr2, tsx or the supervisor (test/unit/public-entry.test.ts).
 * `loadConfig` and `Supervisor` are reached through lazy functions for the same reason.
 */
export { defineConfig, defineTask, definePlugin, ready } from './config/define.js';
export type {
  ConfigInput,
  ConfigExport,
  TaskInput,
  PluginInput,
  ReadyInput,
  DependencyInput,
  RestartInput,
  HealthInput,
  StopInput,
  LogsInput,
  ControlInput,
  TaskRef,
} from './config/define.js';
export type { ReadySpec, ReadyContext, ReadyFunction, PluginReadyFunction, Duration } from './core/ready-spec.js';
export type {
  StackSpec,
  TaskSpec,
  HookContext,
  Hook,
  TaskHooks,
  ControlApi,
  ControlServer,
  Signal,
} from './core/model.js';
export type { SupervisorEvent } from './core/events.js';
export type { TaskStatus, StatsSample } from './core/status.js';
export type { TaskState } from './core/states.js';
export type { Failure } from './core/failure.js';
export type { Diagnostic } from './core/diagnostics.js';
export { loadConfig, Supervisor, ConfigError } from './library.js';
