/**
 * The library API (`loadConfig`, `Supervisor`) behind the public entry. Both load
 * their real modules lazily, so that a config importing `ignite-run` for
 * `defineTask` never pulls in zod, graphology, tsx or the engine.
 */
import { EventEmitter } from 'node:events';
import type { ControlApi, StackSpec, Signal } from './core/model.js';
import type { TaskStatus } from './core/status.js';
import type { Failure } from './core/failure.js';
import type { Result } from './core/result.js';
import type { SupervisorEvent } from './core/events.js';
import type { LoadFailure } from './core/diagnostics.js';
import type * as Engine from './supervisor/supervisor.js';

/** Thrown by `loadConfig` with the same text the CLI prints; `failure` carries the data. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly failure: LoadFailure,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Finds (or takes) the config file, loads and validates it. Throws a ConfigError on any problem. */
export async function loadConfig(file?: string, cwd: string = process.cwd()): Promise<StackSpec> {
  const config = await import('./config/load.js');
  const loaded = await config.loadConfig(file === undefined ? { cwd } : { file, cwd });
  if (loaded.ok) return loaded.value;
  const { formatLoadFailure } = await import('./render/diagnostics.js');
  throw new ConfigError(formatLoadFailure(loaded.error, { debug: false, cwd }), loaded.error);
}

const NOT_LOADED =
  'new Supervisor() takes the stack that loadConfig() returns (validated, with defaults filled in), not a config as written: `new Supervisor(await loadConfig())`';

/** What loadConfig returns, as far as a plain JavaScript caller can get it wrong (a defineConfig value has no `file`). */
function isLoadedStack(stack: unknown): stack is StackSpec {
  if (typeof stack !== 'object' || stack === null) return false;
  const { file, stateDir, tasks } = stack as Partial<StackSpec>;
  return typeof file === 'string' && typeof stateDir === 'string' && Array.isArray(tasks);
}

type EngineSupervisor = Engine.Supervisor;
type UpResult = Awaited<ReturnType<EngineSupervisor['up']>>;
type Options = ConstructorParameters<typeof Engine.Supervisor>[1];

/**
 * Supervises a loaded stack. Emits every SupervisorEvent as 'event' and under its
 * own type ('task-state', 'task-output', …), and task-state also as 'state'.
 */
export class Supervisor extends EventEmitter {
  readonly #engine: Promise<EngineSupervisor>;
  #loaded: EngineSupervisor | undefined;

  constructor(stack: StackSpec, options?: Options) {
    super();
    if (!isLoadedStack(stack)) throw new TypeError(NOT_LOADED);
    this.#engine = import('./supervisor/supervisor.js').then((module) => {
      const engine = new module.Supervisor(stack, options);
      engine.on('event', (event: SupervisorEvent) => {
        this.emit('event', event);
        this.emit(event.type, event);
        if (event.type === 'task-state') this.emit('state', event);
      });
      this.#loaded = engine;
      return engine;
    });
  }

  async up(patterns?: string[]): Promise<UpResult> {
    return (await this.#engine).up(patterns);
  }
  async run(task: string): Promise<Result<number, Failure>> {
    return (await this.#engine).run(task);
  }
  async finished(): Promise<number> {
    return (await this.#engine).finished();
  }
  async start(patterns: string[]): Promise<Result<string[], Failure>> {
    return (await this.#engine).start(patterns);
  }
  async stop(patterns: string[]): Promise<Result<string[], Failure>> {
    return (await this.#engine).stop(patterns);
  }
  async restart(patterns: string[]): Promise<Result<string[], Failure>> {
    return (await this.#engine).restart(patterns);
  }
  async kill(patterns: string[], signal?: Signal): Promise<Result<string[], Failure>> {
    return (await this.#engine).kill(patterns, signal);
  }
  async down(options?: { force?: boolean }): Promise<void> {
    await (await this.#engine).down(options);
  }
  /** What a plugin's control server drives (`definePlugin({ controlServers })`): call its factories with it. */
  async controlApi(): Promise<ControlApi> {
    return (await this.#engine).controlApi();
  }
  /** Empty until the engine has loaded (a tick after construction). */
  status(patterns?: string[]): TaskStatus[] {
    return this.#loaded?.status(patterns) ?? [];
  }
}
