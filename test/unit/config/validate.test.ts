import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ready } from '../../../src/config/define.js';
import { validateConfig } from '../../../src/config/index.js';
import type { StackSpec } from '../../../src/core/model.js';
import { formatDiagnostics } from '../../../src/render/diagnostics.js';

const FILE = '/project/ignite.config.ts';

/** The text `ignite validate` would print for an invalid config. */
function problems(input: unknown): string {
  const result = validateConfig(input, FILE);
  if (result.ok) throw new Error('expected the config to be invalid');
  return formatDiagnostics('ignite.config.ts', result.error);
}

function valid(input: unknown, file = FILE): StackSpec {
  const result = validateConfig(input, file);
  if (!result.ok) throw new Error(formatDiagnostics('ignite.config.ts', result.error));
  return result.value;
}

const task = (name: string, extra: Record<string, unknown> = {}) => ({ name, command: `run-${name}`, ...extra });

describe('config shape', () => {
  it('suggests the field a typo was meant to be', () => {
    expect(problems({ tasks: [{ name: 'db', comand: 'postgres' }] })).toBe(
      '✖ ignite.config.ts: 1 problem\n  tasks[0]: unknown field `comand` — did you mean `command`?',
    );
  });

  it('refuses a control HTTP host beyond loopback without an explicit token', () => {
    expect(problems({ tasks: [task('api')], control: { http: { host: '0.0.0.0', port: 7070, tokenFile: 'tok' } } })).toBe(
      '✖ ignite.config.ts: 1 problem\n  control.http.host: 0.0.0.0 is not a loopback address: set control.http.token explicitly to expose the control API beyond this machine',
    );
    for (const host of ['127.0.0.2', 'localhost', '::1']) expect(valid({ tasks: [task('api')], control: { http: { host, port: 7070 } } }).control.http?.host).toBe(host);
    expect(valid({ tasks: [task('api')], control: { http: { host: '0.0.0.0', port: 7070, token: 't0ken' } } }).control.http?.host).toBe('0.0.0.0');
  });

  it('refuses a control token with spaces: it could never be sent as a bearer token', () => {
    expect(problems({ tasks: [task('api')], control: { http: { port: 7070, token: 'my secret' } } })).toBe(
      '✖ ignite.config.ts: 1 problem\n  control.http.token: expected a token of printable characters without spaces, got "my secret"',
    );
  });

  it('says what a duration looks like when given a bad one', () => {
    expect(problems({ tasks: [task('api', { restart: { backoff: 'fast' } })] })).toBe(
      '✖ ignite.config.ts: 1 problem\n  tasks[0].restart.backoff: expected a duration like "500ms", "2s", "1m" or a number of milliseconds, got "fast"',
    );
  });

  it('reports every shape error of every task at once', () => {
    expect(
      problems({
        tasks: [
          task('db', { readyTimeout: -1, ready: ready.tcp(70_000) }),
          { name: 'api', command: 5 },
          task('web', { ready: { kind: 'tpc', port: 80 }, stop: { signal: 'TERM' }, env: { PORT: 8080 } }),
          task('worker', { restart: 'sometimes', logs: { maxSize: 'big' }, umask: '999' }),
        ],
        stateDir: 5,
        extra: true,
      }),
    ).toBe(
      [
        '✖ ignite.config.ts: 11 problems',
        '  stateDir: expected a non-empty string, got 5',
        '  unknown field `extra` (allowed: tasks, plugins, env, stateDir, shutdownTimeout, control)',
        '  tasks[0].ready.port: expected a port number from 1 to 65535, got 70000',
        '  tasks[0].readyTimeout: expected a duration like "500ms", "2s", "1m" or a number of milliseconds, got -1 — a duration must not be negative',
        '  tasks[1].command: expected a command: a string (run by /bin/sh -c) or an array like ["node", "server.js"], got 5',
        '  tasks[2].env.PORT: expected a string, got 8080 — write "8080" (with quotes)',
        '  tasks[2].ready.kind: unknown ready strategy kind "tpc" — did you mean "tcp"?',
        '  tasks[2].stop.signal: expected a signal name in capitals with the SIG prefix, such as "SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP", "SIGKILL", "SIGUSR1" or "SIGUSR2", got "TERM" — did you mean "SIGTERM"?',
        '  tasks[3].restart: expected "always", "on-failure" or "never", got "sometimes"',
        '  tasks[3].umask: expected an octal string like "022" or "0o022", or a number from 0 to 0o777, got "999" — 9 is not an octal digit (0-7)',
        '  tasks[3].logs.maxSize: expected a size like "512KB", "10MB" or "1GB", or a number of bytes, got "big"',
      ].join('\n'),
    );
  });

  it('checks ready strategies inside all/any, and that a log pattern is a RegExp', () => {
    expect(problems({ tasks: [task('api', { ready: { kind: 'all', strategies: [ready.tcp(80), { kind: 'log', pattern: 'up' }] } })] })).toBe(
      '✖ ignite.config.ts: 1 problem\n  tasks[0].ready.strategies[1].pattern: expected a RegExp like /listening on/, got "up" — write /up/ for a regular expression, or ready.log("up") to match the text as is',
    );
  });

  it('says a required field is missing', () => {
    expect(problems({ tasks: [{ name: 'api' }] })).toBe(
      '✖ ignite.config.ts: 1 problem\n  tasks[0].command: missing; expected a command: a string (run by /bin/sh -c) or an array like ["node", "server.js"]',
    );
  });

  it('rejects a config that is not an object', () => {
    expect(problems(42)).toBe('✖ ignite.config.ts: 1 problem\n  expected a config object { tasks: [...] }, got 42');
  });
});

describe('config rules', () => {
  it('suggests the nearest task name for an unknown dependency', () => {
    expect(problems({ tasks: [task('db'), task('api', { dependsOn: ['dbb'] })] })).toBe(
      '✖ ignite.config.ts: 1 problem\n  tasks[1].dependsOn[0]: unknown task "dbb" — did you mean "db"?',
    );
  });

  it('prints a three-task cycle as the full trail', () => {
    const tasks = [task('a', { dependsOn: ['b'] }), task('b', { dependsOn: ['c'] }), task('c', { dependsOn: ['a'] })];
    expect(problems({ tasks })).toBe('✖ ignite.config.ts: 1 problem\n  tasks[0].dependsOn[0]: dependency cycle: a → b → c → a');
  });

  it('reports a task that depends on itself', () => {
    expect(problems({ tasks: [task('api', { dependsOn: ['api'] })] })).toBe(
      '✖ ignite.config.ts: 1 problem\n  tasks[0].dependsOn[0]: task "api" depends on itself\n    hint: remove it from its own dependsOn',
    );
  });

  it('reports duplicate task names', () => {
    expect(problems({ tasks: [task('api'), task('db'), task('api')] })).toBe(
      '✖ ignite.config.ts: 1 problem\n  tasks[2].name: duplicate task name "api" (also tasks[0])',
    );
  });

  it('reports a plugin strategy that no plugin registers', () => {
    const plugins = [{ name: 'pg', readyStrategies: { pgReady: () => true } }];
    expect(problems({ plugins, tasks: [task('db', { ready: ready.plugin('pgready') })] })).toBe(
      '✖ ignite.config.ts: 1 problem\n  tasks[0].ready: unknown ready strategy "pgready" — did you mean "pgReady"? (the plugins register "pgReady")',
    );
  });

  it('rejects a completed condition on a task that is not a oneshot', () => {
    const tasks = [task('db'), task('api', { dependsOn: [{ task: 'db', condition: 'completed' }] })];
    expect(problems({ tasks })).toBe(
      [
        '✖ ignite.config.ts: 1 problem',
        '  tasks[1].dependsOn[0].condition: "completed" needs "db" to be a oneshot task, but it is a service that never completes',
        '    hint: set oneshot: true on "db", or use condition "ready"',
      ].join('\n'),
    );
  });

  it('says to give the strategies of ready.all as one array, not as arguments', () => {
    const all = ready.all as unknown as (...strategies: unknown[]) => unknown;
    expect(problems({ tasks: [task('api', { ready: all(ready.log(/up/), ready.tcp(80)) })] })).toBe(
      [
        '✖ ignite.config.ts: 1 problem',
        '  tasks[0].ready.strategies: expected an array of ready strategies, got an object { kind: …, pattern: …, stream: … } — give them as one array: ready.all([a, b]), ready.any([a, b])',
      ].join('\n'),
    );
  });

  it('rejects health checks that cannot probe a running task', () => {
    expect(problems({ tasks: [task('api', { health: { check: ready.any([ready.tcp(80), ready.log(/up/)]) } })] })).toBe(
      [
        '✖ ignite.config.ts: 1 problem',
        '  tasks[0].health.check.strategies[1]: a "log" strategy cannot be a health probe',
        '    hint: use tcp, http, file, command, a function or a plugin strategy',
      ].join('\n'),
    );
  });

  it('still runs the cross-task rules when some tasks have shape errors', () => {
    const tasks = [task('db', { readyTimeout: 'soon' }), task('api', { dependsOn: ['dbb'], replicas: 0 }), { name: 'web', command: 1, dependsOn: ['api'] }];
    expect(problems({ tasks })).toBe(
      [
        '✖ ignite.config.ts: 4 problems',
        '  tasks[0].readyTimeout: expected a duration like "500ms", "2s", "1m" or a number of milliseconds, got "soon"',
        '  tasks[1].replicas: expected a number of instances (an integer ≥ 1), got 0',
        '  tasks[1].dependsOn[0]: unknown task "dbb" — did you mean "db"?',
        '  tasks[2].command: expected a command: a string (run by /bin/sh -c) or an array like ["node", "server.js"], got 1',
      ].join('\n'),
    );
  });

  it('recognises task objects in dependsOn by their shape', () => {
    const db = task('db');
    const cache = task('cache');
    const stack = valid({ tasks: [{ ...db }, { ...cache }, task('api', { dependsOn: [db, { task: cache, condition: 'started', restart: true }] })] });
    expect(stack.tasks[2]?.dependsOn).toEqual([
      { task: 'db', condition: 'ready', restart: false },
      { task: 'cache', condition: 'started', restart: true },
    ]);
  });

  it('warns about a dependency listed twice and keeps one edge, the first', () => {
    const stack = valid({ tasks: [task('x'), task('a', { dependsOn: ['x', { task: 'x', condition: 'started' }] })] });
    expect(formatDiagnostics('ignite.config.ts', stack.warnings ?? [])).toBe(
      '⚠ ignite.config.ts: 1 warning\n  tasks[1].dependsOn[1]: "x" is listed twice; the first entry counts',
    );
    expect(stack.tasks[1]?.dependsOn).toEqual([{ task: 'x', condition: 'ready', restart: false }]);
  });

  it('reports an unknown dependency beside a bad condition in the same dependsOn', () => {
    const tasks = [task('x'), task('a', { dependsOn: ['xx', { task: 'x', condition: 'complete' }] })];
    expect(problems({ tasks })).toBe(
      [
        '✖ ignite.config.ts: 2 problems',
        '  tasks[1].dependsOn[1].condition: expected "started", "ready" or "completed", got "complete" — did you mean "completed"?',
        '  tasks[1].dependsOn[0]: unknown task "xx" — did you mean "x"?',
      ].join('\n'),
    );
  });

  it('rejects a ready strategy registered by two plugins, naming both', () => {
    const plugins = [
      { name: 'pg', readyStrategies: { pgReady: () => true, 'pg-up': () => true } },
      { name: 'other', readyStrategies: { ok: () => true } },
      { name: 'pg2', readyStrategies: { pgReady: () => true, 'pg-up': () => true } },
    ];
    expect(problems({ plugins, tasks: [task('db', { ready: ready.plugin('pgReady') })] })).toBe(
      [
        '✖ ignite.config.ts: 2 problems',
        '  plugins[2].readyStrategies.pgReady: ready strategy "pgReady" is registered by plugin "pg" (plugins[0]) and plugin "pg2": rename one',
        '  plugins[2].readyStrategies["pg-up"]: ready strategy "pg-up" is registered by plugin "pg" (plugins[0]) and plugin "pg2": rename one',
      ].join('\n'),
    );
  });

  it('still checks plugin names and strategies when a plugin has a bad strategy', () => {
    const plugins = [{ name: 'p', readyStrategies: { x: 5 } }, { name: 'p' }];
    expect(problems({ plugins, tasks: [task('a', { ready: ready.plugin('kafka') })] })).toBe(
      [
        '✖ ignite.config.ts: 3 problems',
        '  plugins[0].readyStrategies.x: expected a function, got 5',
        '  plugins[1].name: duplicate plugin name "p" (also plugins[0])',
        '  tasks[0].ready: unknown ready strategy "kafka": the plugins register "x"',
      ].join('\n'),
    );
  });

  it('warns that ignite stops on SIGTERM, SIGINT and SIGQUIT rather than forwarding them', () => {
    const stack = valid({ tasks: [task('api', { signals: { SIGTERM: 'SIGQUIT', SIGHUP: 'SIGUSR2' } })] });
    expect(formatDiagnostics('ignite.config.ts', stack.warnings ?? [])).toBe(
      [
        '⚠ ignite.config.ts: 1 warning',
        '  tasks[0].signals.SIGTERM: ignite never forwards SIGTERM (it stops the stack); use stop: { signal: "SIGQUIT" } to choose the signal this task is stopped with',
      ].join('\n'),
    );
  });

  it('returns warnings with a valid stack', () => {
    const stack = valid({ tasks: [task('api', { replicas: 2, logs: { file: 'api.log' } })] });
    expect(formatDiagnostics('ignite.config.ts', stack.warnings ?? [])).toBe(
      '⚠ ignite.config.ts: 1 warning\n  tasks[0].logs.file: all 2 replicas write to the same log file',
    );
  });
});

describe('normalisation', () => {
  it('fills every default of the SPEC', () => {
    const stack = valid({ tasks: [task('api')] });
    expect(stack).toMatchObject({
      file: FILE,
      dir: '/project',
      stateDir: '/project/.ignite',
      shutdownTimeoutMs: 30_000,
      control: { socket: true, http: undefined },
      plugins: [],
      env: {},
    });
    expect(stack.tasks[0]).toEqual({
      name: 'api',
      description: undefined,
      command: { kind: 'shell', script: 'run-api' },
      cwd: '/project',
      env: {},
      inheritEnv: true,
      dependsOn: [],
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
      logs: { file: '/project/.ignite/logs/api.log', errFile: undefined, maxSizeBytes: 10 * 1024 * 1024, maxFiles: 5, mixed: true, timestamps: false },
      hooks: {},
      tags: [],
    });
  });

  it('never restarts a oneshot by default, and converts commands, durations, sizes and umask', () => {
    const stack = valid({
      tasks: [
        task('migrate', { oneshot: true, command: ['npm', 'run', 'migrate'], umask: '027', startDelay: '1.5s', logs: { maxSize: '1MB', mixed: false } }),
      ],
    });
    expect(stack.tasks[0]).toMatchObject({
      command: { kind: 'exec', file: 'npm', args: ['run', 'migrate'] },
      restart: { policy: 'never' },
      umask: 0o027,
      startDelayMs: 1500,
      logs: { file: '/project/.ignite/logs/migrate.out.log', errFile: '/project/.ignite/logs/migrate.err.log', maxSizeBytes: 1024 * 1024 },
    });
  });

  it('rejects environment names that are empty or hold "=" or NUL, and NUL in values and command parts', () => {
    expect(
      problems({
        env: { 'A=B': 'z' },
        tasks: [task('a', { env: { '': 'x', 'X\0': 'y', Y: 'a\0b', Z: undefined } }), task('b', { command: ['sh', '-c', 'echo\0'] }), task('c', { command: 'echo \0' })],
      }),
    ).toBe(
      [
        '✖ ignite.config.ts: 7 problems',
        '  env["A=B"]: key: expected an environment variable name, got "A=B" — "=" cannot be part of a name: the value starts after the first "="',
        '  tasks[0].env[""]: key: expected an environment variable name, got an empty string ""',
        '  tasks[0].env["X\\u0000"]: key: expected an environment variable name, got "X\\u0000" — it holds a NUL byte (\\0), which no program can receive',
        '  tasks[0].env.Y: expected a string, got "a\\u0000b" — it holds a NUL byte (\\0), which no program can receive',
        '  tasks[0].env.Z: expected a string, got undefined (an unset environment variable?)',
        '  tasks[1].command[2]: expected a string (each part of an array command is one argument), got "echo\\u0000" — it holds a NUL byte (\\0), which no program can receive',
        '  tasks[2].command: expected a command: a string (run by /bin/sh -c) or an array like ["node", "server.js"], got "echo \\u0000" — it holds a NUL byte (\\0), which no program can receive',
      ].join('\n'),
    );
  });

  it('rejects a zero duration where it cannot work, and keeps zero where it means none', () => {
    const D = 'expected a duration like "500ms", "2s", "1m" or a number of milliseconds';
    expect(
      problems({
        tasks: [
          task('a', { readyTimeout: 0, ready: ready.command('true', { timeout: 0 }) }),
          task('b', { ready: ready.http('http://127.0.0.1:1/', { timeout: '0ms' }), health: { check: ready.tcp(1), interval: '0s', timeout: 0 } }),
        ],
      }),
    ).toBe(
      [
        '✖ ignite.config.ts: 5 problems',
        `  tasks[0].ready.timeout: ${D}, got 0 — this duration must be more than 0`,
        `  tasks[0].readyTimeout: ${D}, got 0 — this duration must be more than 0`,
        `  tasks[1].ready.timeout: ${D}, got "0ms" — this duration must be more than 0`,
        `  tasks[1].health.interval: ${D}, got "0s" — this duration must be more than 0`,
        `  tasks[1].health.timeout: ${D}, got 0 — this duration must be more than 0`,
      ].join('\n'),
    );
    const zeros = { restart: { backoff: 0, minUptime: 0 }, startDelay: 0, stop: { timeout: 0 }, health: { check: ready.tcp(1), startPeriod: 0 } };
    expect(valid({ shutdownTimeout: 0, tasks: [task('a', zeros)] }).tasks[0]).toMatchObject({ startDelayMs: 0, restart: { backoffMs: 0, minUptimeMs: 0 } });
  });

  it('takes a umask of 1 to 4 octal digits, with or without 0o, up to 0777', () => {
    const masks = ['0', '0o022', '0o0', '7', '0777', '0027'].map((umask, i) => task(`t${i}`, { umask }));
    expect(valid({ tasks: masks }).tasks.map((t) => t.umask)).toEqual([0, 0o22, 0, 0o7, 0o777, 0o27]);
    expect(problems({ tasks: [task('a', { umask: '1777' }), task('b', { umask: '0o' })] })).toBe(
      [
        '✖ ignite.config.ts: 2 problems',
        '  tasks[0].umask: expected an octal string like "022" or "0o022", or a number from 0 to 0o777, got "1777" — a umask is at most 0777',
        '  tasks[1].umask: expected an octal string like "022" or "0o022", or a number from 0 to 0o777, got "0o"',
      ].join('\n'),
    );
  });

  it('resolves paths against the config file folder', () => {
    const stack = valid({
      stateDir: 'var/state',
      control: { http: { port: 7070 } },
      tasks: [task('api', { cwd: 'services/api', logs: { file: 'logs/api.log' } })],
    });
    expect(stack.stateDir).toBe('/project/var/state');
    expect(stack.control.http).toEqual({ host: '127.0.0.1', port: 7070, token: undefined, tokenFile: '/project/var/state/control.token' });
    expect(stack.tasks[0]?.cwd).toBe('/project/services/api');
    expect(stack.tasks[0]?.logs.file).toBe('/project/logs/api.log');
  });

  it('turns required into onFailure shutdown', () => {
    expect(valid({ tasks: [task('db', { required: true })] }).tasks[0]?.onFailure).toBe('shutdown');
    expect(problems({ tasks: [task('db', { required: true, onFailure: 'continue' })] })).toBe(
      '✖ ignite.config.ts: 1 problem\n  tasks[0].onFailure: required: true means onFailure "shutdown", but onFailure is "continue"',
    );
  });

  it('keeps a ready function as a function strategy', () => {
    const check = async function apiUp(): Promise<boolean> {
      return Promise.resolve(true);
    };
    const spec = valid({ tasks: [task('api', { ready: check })] }).tasks[0]?.ready;
    expect(spec).toEqual({ kind: 'function', fn: check, label: 'apiUp' });
  });
});

describe('env files', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('merges top-level env, then env files in order, then the task env', () => {
    dir = mkdtempSync(join(tmpdir(), 'ignite-env-'));
    writeFileSync(join(dir, '.env'), 'A=from-env\nB=from-env\nC=from-env\n');
    writeFileSync(join(dir, '.env.local'), 'B=from-local\nC=from-local\n');
    const stack = valid(
      { env: { A: 'top', Z: 'top' }, tasks: [task('api', { envFile: ['.env', '.env.local'], env: { C: 'task' } })] },
      join(dir, 'ignite.config.ts'),
    );
    expect(stack.env).toEqual({ A: 'top', Z: 'top' });
    expect(stack.tasks[0]?.env).toEqual({ A: 'from-env', B: 'from-local', C: 'task', Z: 'top' });
  });

  it('warns about lines that are not NAME=value, leaves them out and accepts export NAME=value', () => {
    dir = mkdtempSync(join(tmpdir(), 'ignite-env-'));
    writeFileSync(join(dir, '.env'), 'A=1\nthis is not valid\nexport B = 2\n# note\n\nM="two\nlines"\n1X=3\n');
    const stack = valid({ tasks: [task('api', { envFile: '.env' })] }, join(dir, 'ignite.config.ts'));
    expect(formatDiagnostics('ignite.config.ts', stack.warnings ?? [])).toBe(
      [
        '⚠ ignite.config.ts: 2 warnings',
        '  tasks[0].envFile: .env:2: cannot parse "this is not valid" (expected NAME=value)',
        '  tasks[0].envFile: .env:8: cannot parse "1X=3" (expected NAME=value)',
      ].join('\n'),
    );
    expect(stack.tasks[0]?.env).toEqual({ A: '1', B: '2', M: 'two\nlines' });
  });

  it('reports a missing env file', () => {
    dir = mkdtempSync(join(tmpdir(), 'ignite-env-'));
    const result = validateConfig({ tasks: [task('api', { envFile: '.env' })] }, join(dir, 'ignite.config.ts'));
    expect(result.ok ? [] : result.error).toEqual([{ severity: 'error', path: 'tasks[0].envFile', message: `env file not found: ${join(dir, '.env')}` }]);
  });

  it("names the task's cwd's env file when a relative envFile is missing from the config's folder", () => {
    dir = mkdtempSync(join(tmpdir(), 'ignite-env-'));
    mkdirSync(join(dir, 'packages', 'api'), { recursive: true });
    writeFileSync(join(dir, 'packages', 'api', '.env'), 'PORT=4000\n');
    const result = validateConfig({ tasks: [task('api', { cwd: 'packages/api', envFile: '.env' })] }, join(dir, 'ignite.config.ts'));
    expect(result.ok ? [] : result.error).toEqual([
      {
        severity: 'error',
        path: 'tasks[0].envFile',
        message: `env file not found: ${join(dir, '.env')} (envFile is relative to the config's folder, not to the task's cwd) — did you mean "packages/api/.env"?`,
      },
    ]);
  });
});
