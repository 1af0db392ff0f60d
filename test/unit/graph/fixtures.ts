import type { Dependency, StackSpec, TaskSpec } from '../../../src/core/model.js';

type TaskOverrides = Partial<Omit<TaskSpec, 'dependsOn'>> & {
  /** Names (condition ready) or full dependencies. */
  dependsOn?: (string | Partial<Dependency> & { task: string })[];
};

/** A normalised TaskSpec with the SPEC's defaults; does not go through config/. */
export function task(name: string, overrides: TaskOverrides = {}): TaskSpec {
  const { dependsOn = [], ...rest } = overrides;
  return {
    name,
    description: undefined,
    command: { kind: 'exec', file: 'node', args: ['server.js'] },
    cwd: '/project',
    env: {},
    inheritEnv: true,
    ready: undefined,
    readyTimeoutMs: 60_000,
    health: undefined,
    oneshot: false,
    restart: { policy: 'on-failure', backoffMs: 100, maxBackoffMs: 30_000, factor: 2, maxRestarts: 10, minUptimeMs: 1000, exitCodes: [0] },
    onFailure: 'continue',
    stop: { signal: 'SIGTERM', timeoutMs: 10_000, command: undefined },
    signals: {},
    replicas: 1,
    startDelayMs: 0,
    autostart: true,
    user: undefined,
    group: undefined,
    umask: undefined,
    cpus: undefined,
    logs: { file: `/project/.ignite/logs/${name}.log`, errFile: undefined, maxSizeBytes: 10 * 1024 * 1024, maxFiles: 5, mixed: true, timestamps: true },
    hooks: {},
    tags: [],
    ...rest,
    dependsOn: dependsOn.map((dependency) =>
      typeof dependency === 'string'
        ? { task: dependency, condition: 'ready', restart: false }
        : { condition: 'ready', restart: false, ...dependency },
    ),
  };
}

export function stack(tasks: TaskSpec[]): StackSpec {
  return {
    file: '/project/ignite.config.ts',
    dir: '/project',
    tasks,
    plugins: [],
    env: {},
    stateDir: '/project/.ignite',
    shutdownTimeoutMs: 30_000,
    control: { socket: true, http: undefined },
  };
}

/** The three-task stack the export tests draw: a database, a migration and an API. */
export function smallStack(): StackSpec {
  return stack([
    task('db', {
      description: 'Postgres',
      command: { kind: 'exec', file: 'postgres', args: ['-D', 'data dir'] },
      ready: { kind: 'tcp', host: undefined, port: 5432 },
    }),
    task('migrate', {
      command: { kind: 'shell', script: 'npm run migrate' },
      oneshot: true,
      restart: { policy: 'never', backoffMs: 100, maxBackoffMs: 30_000, factor: 2, maxRestarts: 10, minUptimeMs: 1000, exitCodes: [0] },
      dependsOn: ['db'],
    }),
    task('api', {
      replicas: 2,
      tags: ['backend'],
      ready: { kind: 'http', url: 'http://localhost:3000/health', status: 200, method: 'GET', headers: {}, timeout: undefined },
      dependsOn: [{ task: 'db', restart: true }, { task: 'migrate', condition: 'completed' }],
    }),
  ]);
}
