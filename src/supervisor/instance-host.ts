import type { SupervisorEvent } from '../core/events.js';
import type { HealthSpec, PluginSpec, TaskSpec } from '../core/model.js';
import type { LogWriter } from './output/types.js';
import type { PluginReadyFunction, ReadySpec } from '../core/ready-spec.js';
import type { TaskState } from '../core/states.js';
import type { HealthReport, PrepareOptions, PreparedReady, ReadyRun } from '../ready/types.js';
import type { TaskInstance } from './instance.js';
import type { SpawnFn } from './process/spawn.js';

/** What an instance needs from the orchestrator: the world's seams and a way to report. */
export interface InstanceHost {
  emit(event: SupervisorEvent): void;
  /** Called after every state change of an instance. */
  changed(instance: TaskInstance, previous: TaskState): void;
  spawn: SpawnFn;
  prepareReady(spec: ReadySpec | undefined, options: PrepareOptions): Promise<PreparedReady>;
  startHealth(spec: HealthSpec, run: ReadyRun, onReport: (report: HealthReport) => void): { stop(): void };
  plugins: readonly PluginSpec[];
  readyPlugins: Readonly<Record<string, PluginReadyFunction>>;
  /** The task's log writer, shared by its replicas, open until the stack is down. */
  logWriter(spec: TaskSpec): LogWriter;
  /** The private run folder (created on first use). */
  runDir(): Promise<string>;
  /** Where the FIFOs of tasks running as another user go, each in a folder of its own (PrepareOptions.owner). */
  readonly sharedDir: string;
  baseEnv: Readonly<Record<string, string | undefined>>;
  track(pgid: number): void;
  untrack(pgid: number): void;
  /** Aborted when the stack goes down; handed to hooks. */
  hookSignal(): AbortSignal;
  /** True while the stack goes down: no restart is scheduled any more. */
  shuttingDown(): boolean;
  /** This supervisor's random id, in every child's IGNITE_RUN. */
  readonly runId: string;
  /**
   * Once an attempt's group is gone: warns about and kills every process that
   * still carries its identity (it escaped the group). Never rejects.
   */
  sweepEscapees(task: string, attempt: number, urgent: boolean): Promise<void>;
}
