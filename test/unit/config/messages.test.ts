import { describe, expect, it } from 'vitest';
import { ready } from '../../../src/config/define.js';
import { validateConfig } from '../../../src/config/index.js';
import { show } from '../../../src/config/messages.js';
import { formatDiagnostics } from '../../../src/render/diagnostics.js';

/** The problem lines `ignite validate` would print, without the header. */
function problems(input: unknown): string[] {
  const result = validateConfig(input, '/project/ignite.config.ts');
  if (result.ok) throw new Error('expected the config to be invalid');
  return formatDiagnostics('ignite.config.ts', result.error).split('\n').slice(1);
}

const task = (name: string, extra: Record<string, unknown> = {}) => ({ name, command: `run-${name}`, ...extra });
const COMMAND = 'expected a command: a string (run by /bin/sh -c) or an array like ["node", "server.js"]';
const COMMON = '"SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP", "SIGKILL", "SIGUSR1" or "SIGUSR2"';
const SIGNAL = `expected a signal name in capitals with the SIG prefix, such as ${COMMON}`;
/** For a name in the right form that this system lacks (SIGBREAK is Windows', and in Node's types). */
const FOREIGN = `expected a signal that linux has, such as ${COMMON}`;
const DURATION = 'expected a duration like "500ms", "2s", "1m" or a number of milliseconds';

describe('show', () => {
  it('renders the value a user gave, short', () => {
    expect(show('')).toBe('an empty string ""');
    expect(show([])).toBe('an empty array []');
    expect(show(['node', 1])).toBe('["node", 1]');
    expect(show(Array.from({ length: 30 }, () => 'argument'))).toBe('an array of 30 items');
    expect(show({})).toBe('an empty object {}');
    expect(show({ a: 1, b: 2, c: 3, d: 4 })).toBe('an object { a: …, b: …, c: …, … }');
    expect(show('x'.repeat(80))).toBe(JSON.stringify(`${'x'.repeat(57)}...`));
  });
});

describe('command messages', () => {
  it('says an empty array command needs the program name', () => {
    expect(problems({ tasks: [task('api', { command: [] })] })).toEqual([
      `  tasks[0].command: ${COMMAND}, got an empty array [] — an array needs at least the program name`,
    ]);
  });

  it('points at the argument of an array command that is not a string', () => {
    expect(problems({ tasks: [task('api', { command: ['node', 'server.js', '--port', 3000] })] })).toEqual([
      '  tasks[0].command[3]: expected a string (each part of an array command is one argument), got 3000 — write "3000" (with quotes)',
    ]);
  });

  it('rejects an empty program name and a blank shell command', () => {
    expect(problems({ tasks: [task('a', { command: ['', 'x'] }), task('b', { command: '   ' })] })).toEqual([
      '  tasks[0].command[0]: expected the program name, got an empty string ""',
      `  tasks[1].command: ${COMMAND}, got "   " — it is blank`,
    ]);
  });
});

describe('a task list entry that is undefined', () => {
  it('suggests a task constant used above its declaration, not a missing field', () => {
    expect(problems({ tasks: [task('api'), undefined] })).toEqual([
      '  tasks[1]: expected a task object (see defineTask), got undefined (a task constant used before its declaration? declare each task above `export default`)',
    ]);
  });
});

describe('a dependency that is undefined', () => {
  it('suggests a task constant used above its declaration, as for a task list entry', () => {
    expect(problems({ tasks: [task('a', { dependsOn: [undefined, { task: undefined }] }), task('b')] })).toEqual([
      '  tasks[0].dependsOn[0]: expected a task, a task name or { task, condition, restart }, got undefined (a task constant used before its declaration? declare each task above the tasks that depend on it)',
      '  tasks[0].dependsOn[1].task: expected a task or a task name, got undefined (a task constant used before its declaration? declare each task above the tasks that depend on it)',
    ]);
  });
});

describe('signal messages', () => {
  it('lists the common signals and suggests none for a name close only to an alias', () => {
    expect(problems({ tasks: [task('api', { stop: { signal: 'SIGFOO' } })] })).toEqual([`  tasks[0].stop.signal: ${FOREIGN}, got "SIGFOO"`]);
  });

  it('says a signal name in the right form is not one this system has', () => {
    expect(problems({ tasks: [task('api', { stop: { signal: 'SIGBREAK' }, signals: { SIGINFO: 'SIGHUP' } })] })).toEqual([
      `  tasks[0].stop.signal: ${FOREIGN}, got "SIGBREAK"`,
      `  tasks[0].signals.SIGINFO: key: ${FOREIGN}, got "SIGINFO" — did you mean "SIGINT"?`,
    ]);
  });

  it('suggests the accepted form of a signal written in lower case, without the prefix or with a typo', () => {
    const signals = ['sigterm', 'hup', 'SIGTREM'].map((signal) => task(signal.toLowerCase(), { stop: { signal } }));
    expect(problems({ tasks: signals })).toEqual([
      `  tasks[0].stop.signal: ${SIGNAL}, got "sigterm" — did you mean "SIGTERM"?`,
      `  tasks[1].stop.signal: ${SIGNAL}, got "hup" — did you mean "SIGHUP"?`,
      `  tasks[2].stop.signal: ${FOREIGN}, got "SIGTREM" — did you mean "SIGTERM"?`,
    ]);
  });

  it("suggests the name of a signal given by its number (process-compose's signal: 15)", () => {
    expect(problems({ tasks: [task('api', { stop: { signal: 15 } }), task('web', { stop: { signal: '9' } }), task('db', { stop: { signal: 99 } })] })).toEqual([
      `  tasks[0].stop.signal: ${SIGNAL}, got 15 — did you mean "SIGTERM"?`,
      `  tasks[1].stop.signal: ${SIGNAL}, got "9" — did you mean "SIGKILL"?`,
      `  tasks[2].stop.signal: ${SIGNAL}, got 99`,
    ]);
  });

  it('checks both sides of a signal rewrite', () => {
    expect(problems({ tasks: [task('api', { signals: { HUP: 'SIGUSR1' } })] })).toEqual([
      `  tasks[0].signals.HUP: key: ${SIGNAL}, got "HUP" — did you mean "SIGHUP"?`,
    ]);
  });

  it('accepts every signal Node knows, including aliases', () => {
    expect(validateConfig({ tasks: [task('api', { stop: { signal: 'SIGIOT' } })] }, '/p/ignite.config.ts').ok).toBe(true);
  });
});

describe('duration and pattern messages', () => {
  it('says a duration must not be negative, as a number or a string', () => {
    expect(problems({ tasks: [task('api', { startDelay: -5, readyTimeout: '-2s' })] })).toEqual([
      `  tasks[0].readyTimeout: ${DURATION}, got "-2s" — a duration must not be negative`,
      `  tasks[0].startDelay: ${DURATION}, got -5 — a duration must not be negative`,
    ]);
  });

  it('rejects a duration longer than the longest timer Node can set', () => {
    const LONGEST = 'expected at most 596h31m (the longest timer Node can set)';
    expect(problems({ tasks: [task('api', { stop: { timeout: '1000h' }, readyTimeout: '1000h', startDelay: 2 ** 31 })] })).toEqual([
      `  tasks[0].readyTimeout: ${LONGEST}, got "1000h"`,
      `  tasks[0].stop.timeout: ${LONGEST}, got "1000h"`,
      `  tasks[0].startDelay: ${LONGEST}, got 2147483648`,
    ]);
    expect(validateConfig({ tasks: [task('api', { startDelay: 2 ** 31 - 1 })] }, '/p/ignite.config.ts').ok).toBe(true);
  });

  it('names the units of a duration when given another', () => {
    expect(problems({ tasks: [task('api', { readyTimeout: '1d', startDelay: '2S' })] })).toEqual([
      `  tasks[0].readyTimeout: ${DURATION}, got "1d" — "d" is not a unit (the units are ms, s, m and h)`,
      `  tasks[0].startDelay: ${DURATION}, got "2S" — units are lower case: write "2s"`,
    ]);
  });

  it('says which number is wrong when the unit is right', () => {
    expect(problems({ tasks: [task('api', { restart: { backoff: '1.s', maxBackoff: '1..5S' } })] })).toEqual([
      `  tasks[0].restart.backoff: ${DURATION}, got "1.s" — "1." is not a number`,
      `  tasks[0].restart.maxBackoff: ${DURATION}, got "1..5S" — "1..5" is not a number`,
    ]);
  });

  it('gives the engine message for a string that is not a valid regular expression', () => {
    expect(problems({ tasks: [task('api', { ready: { kind: 'log', pattern: '([unclosed' } })] })).toEqual([
      '  tasks[0].ready.pattern: expected a RegExp like /listening on/, got "([unclosed" — not a valid regular expression: Unterminated character class',
    ]);
  });
});

describe('dependency and plugin messages', () => {
  it('lists the other tasks when an unknown dependency is near none of them', () => {
    const tasks = [task('db'), task('queue'), task('api', { dependsOn: ['cache'] })];
    expect(problems({ tasks })).toEqual(['  tasks[2].dependsOn[0]: unknown task "cache": the other tasks are "db" and "queue"']);
    expect(problems({ tasks: [task('api', { dependsOn: ['cache'] })] })).toEqual([
      '  tasks[0].dependsOn[0]: unknown task "cache": no other task is declared',
    ]);
  });

  it('says no plugin registers a strategy, and how to register one', () => {
    expect(problems({ tasks: [task('db', { ready: ready.plugin('kafka-topic') })] })).toEqual([
      '  tasks[0].ready: unknown ready strategy "kafka-topic": no plugin registers any ready strategy',
      '    hint: register it in a plugin: defineConfig({ plugins: [definePlugin({ name, readyStrategies: { "kafka-topic": (params, ctx) => … } })] })',
    ]);
  });

  it('lists the strategies the plugins register', () => {
    const plugins = [{ name: 'pg', readyStrategies: { pgReady: () => true } }, { name: 'k', readyStrategies: { topic: () => true } }];
    expect(problems({ plugins, tasks: [task('db', { ready: ready.plugin('kafka') })] })).toEqual([
      '  tasks[0].ready: unknown ready strategy "kafka": the plugins register "pgReady" and "topic"',
    ]);
  });
});

describe('numbers written as strings, and unset environment variables', () => {
  it('says a port or a status in quotes is a string', () => {
    const tasks = [task('a', { ready: ready.tcp('17000' as unknown as number) }), task('b', { ready: ready.http('http://127.0.0.1/', { status: '200' as unknown as number }) })];
    expect(problems({ tasks })).toEqual([
      '  tasks[0].ready.port: expected a port number from 1 to 65535, got "17000" (a string) — write 17000, or Number(process.env.PORT)',
      '  tasks[1].ready.status: expected an HTTP status from 100 to 599, got "200" (a string) — write 200',
    ]);
  });

  it('suspects an unset environment variable where a value is undefined', () => {
    const tasks = [task('a', { ready: ready.tcp(undefined as unknown as number) }), task('b', { env: { X: undefined } })];
    expect(problems({ tasks })).toEqual([
      '  tasks[0].ready.port: expected a port number from 1 to 65535, got undefined (an unset environment variable?)',
      '  tasks[1].env.X: expected a string, got undefined (an unset environment variable?)',
    ]);
  });
});

describe('shapes meant as another', () => {
  it('asks to wrap a bare strategy given as health, in one message', () => {
    expect(problems({ tasks: [task('a', { health: ready.tcp(17000) })] })).toEqual([
      '  tasks[0].health: expected { check: <strategy>, interval?, timeout?, retries?, startPeriod? }, got a ready strategy — wrap it: health: { check: ready.tcp(…) }',
    ]);
  });

  it('names the builder an object keyed by a strategy kind was meant to be', () => {
    expect(problems({ tasks: [task('a', { ready: { tcp: 17000 } })] })).toEqual([
      '  tasks[0].ready: expected a ready strategy like ready.tcp(17000), got an object { tcp: … }',
    ]);
  });

  it('shows the object a bare stop signal, log file or dependency belongs in', () => {
    expect(problems({ tasks: [task('b'), task('a', { stop: 'SIGINT', logs: '/tmp/x.log', dependsOn: 'b' })] })).toEqual([
      '  tasks[1].dependsOn: expected an array of tasks or task names, got "b" — write ["b"] for a list of one',
      '  tasks[1].stop: expected an object { signal?, timeout?, command? }, got "SIGINT" — write { signal: "SIGINT" }',
      '  tasks[1].logs: expected an object { file?, maxSize?, maxFiles?, mixed?, timestamps? }, got "/tmp/x.log" — write { file: "/tmp/x.log" }',
    ]);
  });
});

describe('other near misses', () => {
  it('suggests the value of a choice that was meant', () => {
    expect(problems({ tasks: [task('a', { restart: 'alwayss', onFailure: 'stop' }), task('b', { restart: { policy: 'on-failur' } })] })).toEqual([
      '  tasks[0].restart: expected "always", "on-failure" or "never", got "alwayss" — did you mean "always"?',
      '  tasks[0].onFailure: expected "continue", "stop-dependents" or "shutdown", got "stop" — did you mean "stop-dependents"?',
      '  tasks[1].restart.policy: expected "always", "on-failure" or "never", got "on-failur" — did you mean "on-failure"?',
    ]);
  });

  it('names the character a task name may not hold', () => {
    expect(problems({ tasks: [task('api/v2')] })).toEqual([
      '  tasks[0].name: expected a name made of letters, digits, "_", "." and "-", got "api/v2" — "/" is not allowed',
    ]);
  });

  it('suggests a list for a single tag and an array for an object of tasks', () => {
    expect(problems({ tasks: [task('api', { tags: 'web' })] })).toEqual(['  tasks[0].tags: expected an array of strings, got "web" — write ["web"] for a list of one']);
    expect(problems({ tasks: { api: { command: 'x' } } })).toEqual([
      '  tasks: expected an array of tasks, got an object { api: … } — list them as tasks: [{ name, command, … }, …]',
    ]);
  });

  it('lists the allowed fields when an unknown one is near none of them', () => {
    expect(problems({ tasks: [task('api', { zzz: 1 })] })[0]).toMatch(/^ {2}tasks\[0\]: unknown field `zzz` \(allowed: name, description, command, cwd, .*, tags\)$/);
  });
});
