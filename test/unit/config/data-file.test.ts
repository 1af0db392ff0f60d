import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataConfig } from '../../../src/config/data-file.js';
import type { StackSpec } from '../../../src/core/model.js';
import { formatLoadFailure } from '../../../src/render/diagnostics.js';
import { bundleLoader, consumer, loadIn, remove } from './load-harness.js';

const dirs: string[] = [];
const scratch = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'ignite-data-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => remove(...dirs));

async function load(name: string, content: string): Promise<{ ok: true; stack: StackSpec } | { ok: false; text: string }> {
  const dir = scratch();
  writeFileSync(join(dir, name), content);
  const loaded = await loadDataConfig(join(dir, name), import('../../../src/config/validate.js'));
  return loaded.ok ? { ok: true, stack: loaded.value } : { ok: false, text: formatLoadFailure(loaded.error, { debug: false, cwd: dir }) };
}

async function stackOf(name: string, content: string): Promise<StackSpec> {
  const loaded = await load(name, content);
  if (!loaded.ok) throw new Error(loaded.text);
  return loaded.stack;
}

async function failureOf(name: string, content: string): Promise<string> {
  const loaded = await load(name, content);
  if (loaded.ok) throw new Error('expected the config not to load');
  return loaded.text;
}

const summary = (stack: StackSpec) => stack.tasks.map((t) => [t.name, t.dependsOn.map((d) => d.task), t.ready?.kind]);

describe('configs written as data', () => {
  it('loads a YAML config whose tasks are a map, each named by its key', async () => {
    const stack = await stackOf(
      'ignite.config.yaml',
      [
        'shutdownTimeout: 5s',
        'tasks:',
        '  redis:',
        '    command: [redis-server, --port, "6380"]',
        '    ready: { kind: tcp, port: 6380 }',
        '  api:',
        '    command: node server.js',
        '    dependsOn: [{ task: redis, condition: ready, restart: true }]',
        '    ready: { kind: log, pattern: "listening on \\\\d+" }',
        '    restart: { policy: always, backoff: 250ms }',
      ].join('\n'),
    );
    expect(summary(stack)).toEqual([
      ['redis', [], 'tcp'],
      ['api', ['redis'], 'log'],
    ]);
    expect(stack.tasks[1]?.ready).toEqual({ kind: 'log', pattern: /listening on \d+/, stream: 'both' });
    expect(stack.tasks[1]?.restart).toMatchObject({ policy: 'always', backoffMs: 250 });
    expect(stack.shutdownTimeoutMs).toBe(5000);
  });

  it('lets YAML tasks share fields through an anchor and a merge key', async () => {
    const stack = await stackOf(
      'ignite.config.yaml',
      ['tasks:', '  mail: &worker', '    command: node worker.js', '    restart: always', '  jobs:', '    <<: *worker', '    env: { QUEUE: jobs }'].join('\n'),
    );
    expect(stack.tasks.map((t) => [t.name, t.restart.policy, t.env])).toEqual([
      ['mail', 'always', {}],
      ['jobs', 'always', { QUEUE: 'jobs' }],
    ]);
  });

  it('ignores x- keys holding anchors at the top level, and warns of an unquoted octal umask', async () => {
    const stack = await stackOf(
      'ignite.config.yaml',
      ['x-worker: &worker', '  command: [sleep, "60"]', '  umask: 022', 'tasks:', '  a: *worker', '  b: { <<: *worker, umask: "022" }', ''].join('\n'),
    );
    expect(stack.tasks.map((t) => [t.name, t.umask])).toEqual([
      ['a', 22],
      ['b', 0o22],
    ]);
    expect(stack.warnings?.map((w) => `${w.path}: ${w.message}`)).toEqual([
      "tasks.a.umask: 022 is read as the decimal number 22 (octal 26): quote it, umask: '022', for octal",
    ]);
  });

  it('takes an octal literal umask (YAML 0o27, TOML 0o027) without a warning', async () => {
    const yaml = await stackOf('ignite.config.yaml', 'tasks:\n  a: { command: x, umask: 0o27 }\n  b: { command: x, umask: 27 }\n');
    expect(yaml.tasks.map((t) => t.umask)).toEqual([0o27, 27]);
    expect(yaml.warnings).toBeUndefined();
    const toml = await stackOf('ignite.config.toml', '[tasks.a]\ncommand = "x"\numask = 0o027\n');
    expect(toml.tasks[0]?.umask).toBe(0o27);
    expect(toml.warnings).toBeUndefined();
  });

  it('loads a TOML config with a table per task and strategies nested in all/any', async () => {
    const stack = await stackOf(
      'ignite.config.toml',
      [
        '[tasks.db]',
        'command = "postgres"',
        'ready = { kind = "all", strategies = [{ kind = "log", pattern = "/READY/i", stream = "stderr" }, { kind = "tcp", port = 5432 }] }',
        '',
        '[tasks.web]',
        'command = ["node", "web.js"]',
        'dependsOn = ["db"]',
        'health = { check = { kind = "http", url = "http://127.0.0.1:3000/" }, interval = "5s" }',
      ].join('\n'),
    );
    expect(summary(stack)).toEqual([
      ['db', [], 'all'],
      ['web', ['db'], undefined],
    ]);
    const ready = stack.tasks[0]?.ready;
    expect(ready?.kind === 'all' ? ready.strategies[0] : undefined).toEqual({ kind: 'log', pattern: /READY/i, stream: 'stderr' });
    expect(stack.tasks[1]?.health?.check).toMatchObject({ kind: 'http', url: 'http://127.0.0.1:3000/' });
  });

  it('loads a JSON config with a task array', async () => {
    const stack = await stackOf('ignite.config.json', JSON.stringify({ tasks: [{ name: 'a', command: 'true' }, { name: 'b', command: 'true', dependsOn: ['a'] }] }));
    expect(summary(stack)).toEqual([
      ['a', [], undefined],
      ['b', ['a'], undefined],
    ]);
  });

  it('loads the YAML and TOML examples of docs/config.md', async () => {
    const doc = readFileSync(new URL('../../../docs/config.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Configs as data'));
    for (const format of ['yaml', 'toml']) {
      const example = new RegExp(`\`\`\`${format}\n([\\s\\S]*?)\`\`\``).exec(section)?.[1];
      expect(example, `a ${format} example`).toBeDefined();
      const stack = await stackOf(`ignite.config.${format}`, example ?? '');
      expect(summary(stack)).toEqual([
        ['redis', [], format === 'yaml' ? 'log' : 'tcp'],
        ['api', ['redis'], format === 'yaml' ? 'http' : 'log'],
      ]);
    }
  });
});

describe('syntax errors in data configs', () => {
  it('reports a JSON syntax error at its line and column', async () => {
    const text = await failureOf('ignite.config.json', '{\n  "tasks": [\n    { "name": "db", "command": "x", }\n  ]\n}\n');
    expect(text).toBe(
      '✖ ignite.config.json:3:37: syntax error: Expected double-quoted property name\n        { "name": "db", "command": "x", }\n                                        ^',
    );
  });

  it('finds the line and column of a JSON error that V8 gives no position for', async () => {
    const text = await failureOf('ignite.config.json', '{\n  "tasks": [\n    { "name": "db", "command": nope }\n  ]\n}\n');
    expect(text).toBe('✖ ignite.config.json:3:33: syntax error: Unexpected token \'o\'\n        { "name": "db", "command": nope }\n                                    ^');
  });

  it('says JSON allows no comments when one trips the parser', async () => {
    const text = await failureOf('ignite.config.json', '{\n  // the stack\n  "tasks": []\n}\n');
    expect(text.split('\n')[0]).toBe(
      '✖ ignite.config.json:2:3: syntax error: Expected property name or \'}\' (JSON allows no comments: write the config as ignite.config.yaml or .toml to keep them)',
    );
  });

  it('points at the end of a JSON file that stops early', async () => {
    const text = await failureOf('ignite.config.json', '{\n  "tasks": [\n');
    expect(text).toBe('✖ ignite.config.json:2:13: syntax error: Unexpected end of JSON input\n      "tasks": [\n                ^');
  });

  it('reports a YAML syntax error at its line and column', async () => {
    const text = await failureOf('ignite.config.yml', 'tasks:\n  db:\n    command: redis-server\n    ready: { kind: tcp, port: 6379\n');
    expect(text).toBe(
      '✖ ignite.config.yml:4:35: syntax error: Flow map in block collection must be sufficiently indented and end with a }\n        ready: { kind: tcp, port: 6379\n                                      ^',
    );
  });

  it('reports a YAML key given twice', async () => {
    const text = await failureOf('ignite.config.yaml', 'tasks:\n  db:\n    command: a\n    command: b\n');
    expect(text).toBe('✖ ignite.config.yaml:4:5: syntax error: Map keys must be unique\n        command: b\n        ^');
  });

  it('reports a JSON key given twice, the first one in the file, where JSON.parse would keep the last', async () => {
    const json = '{\n  "tasks": {\n    "a": { "command": "x", "env": {}, "env": { "A": "1" } },\n    "a": { "command": "y" }\n  }\n}\n';
    expect(await failureOf('ignite.config.json', json)).toBe(
      '✖ ignite.config.json:3:39: syntax error: duplicate key "env"\n        "a": { "command": "x", "env": {}, "env": { "A": "1" } },\n                                          ^',
    );
    expect(await failureOf('ignite.config.json', '{ "tasks": [], "tasks": [] }')).toBe(
      '✖ ignite.config.json:1:16: syntax error: duplicate key "tasks"\n    { "tasks": [], "tasks": [] }\n                   ^',
    );
  });

  it('reports a TOML syntax error at its line and column', async () => {
    const text = await failureOf('ignite.config.toml', '[tasks.db]\ncommand = "redis-server"\nready = { kind = "tcp", port = }\n');
    expect(text).toBe('✖ ignite.config.toml:3:32: syntax error: invalid value\n    ready = { kind = "tcp", port = }\n                                   ^');
  });
});

describe('validation of data configs', () => {
  it('names the paths of the map form by task name', async () => {
    const text = await failureOf(
      'ignite.config.yaml',
      ['tasks:', '  db:', '    command: x', '  redis:', '    command: redis-server', '    restart: { backoff: fast }', '    dependsOn: [dbb]'].join('\n'),
    );
    expect(text).toBe(
      [
        '✖ ignite.config.yaml: 2 problems',
        '  tasks.redis.restart.backoff: expected a duration like "500ms", "2s", "1m" or a number of milliseconds, got "fast"',
        '  tasks.redis.dependsOn[0]: unknown task "dbb" — did you mean "db"?',
      ].join('\n'),
    );
  });

  it('names a task whose name differs from its key, by both', async () => {
    const text = await failureOf('ignite.config.toml', '[tasks.redis]\nname = "cache"\ncommand = "redis-server"\n');
    expect(text).toBe('✖ ignite.config.toml: 1 problem\n  tasks.redis.name: the name "cache" differs from its key "redis": drop `name` or make them the same');
  });

  it('says that hooks, plugins and function or plugin strategies need a TypeScript config', async () => {
    const config = {
      plugins: [{ name: 'metrics' }],
      tasks: [
        { name: 'a', command: 'x', hooks: { onReady: 'echo hi' }, ready: { kind: 'any', strategies: [{ kind: 'tcp', port: 80 }, { kind: 'function' }] } },
        { name: 'b', command: 'x', health: { check: { kind: 'plugin', name: 'metrics' } } },
      ],
    };
    const needsCode = 'cannot be written in a data file: use a TypeScript config (ignite.config.ts)';
    expect(await failureOf('ignite.config.json', JSON.stringify(config))).toBe(
      [
        '✖ ignite.config.json: 4 problems',
        `  plugins: plugins are code and ${needsCode}`,
        `  tasks[0].hooks: hooks are functions and ${needsCode}`,
        `  tasks[0].ready.strategies[1]: a function strategy ${needsCode}`,
        `  tasks[1].health.check: a plugin strategy needs its plugin, which ${needsCode}`,
      ].join('\n'),
    );
  });

  it('reads a log pattern as a regular expression, "/…/flags" with flags, and names the path of an invalid one', async () => {
    const text = await failureOf(
      'ignite.config.yaml',
      ['tasks:', '  a:', '    command: x', '    ready: { kind: log, pattern: "(unclosed" }', '  b:', '    command: x', '    ready: { kind: log, pattern: /ready/q }'].join('\n'),
    );
    expect(text).toBe(
      [
        '✖ ignite.config.yaml: 2 problems',
        '  tasks.a.ready.pattern: expected a RegExp like /listening on/, got "(unclosed" — not a valid regular expression: Unterminated group',
        '  tasks.b.ready.pattern: expected a regular expression like "/ready/i", got "/ready/q" — Invalid flags supplied to RegExp constructor \'q\'',
      ].join('\n'),
    );
    const stack = await stackOf('ignite.config.yaml', 'tasks:\n  a:\n    command: x\n    ready: { kind: log, pattern: "/^ready [.]$/im" }\n');
    expect(stack.tasks[0]?.ready).toMatchObject({ kind: 'log', pattern: /^ready [.]$/im });
  });
});

describe('finding and loading config files', () => {
  let loader: string;
  beforeAll(async () => {
    loader = await bundleLoader();
  });
  afterAll(() => remove(loader));

  const project = (...args: Parameters<typeof consumer>): string => {
    const dir = consumer(...args);
    dirs.push(dir);
    return dir;
  };

  it('finds ignite.config.yaml, after the code configs', async () => {
    const yaml = 'tasks:\n  from-yaml:\n    command: x\n';
    const dir = project('module', { inline: { 'ignite.config.yaml': yaml, 'ignite.config.toml': '[tasks.from-toml]\ncommand = "x"\n' } });
    expect((await loadIn(loader, dir)).tasks?.map((t) => t.name)).toEqual(['from-yaml']);
    writeFileSync(join(dir, 'ignite.config.mjs'), "export default { tasks: [{ name: 'from-mjs', command: 'x' }] };\n");
    expect((await loadIn(loader, dir)).tasks?.map((t) => t.name)).toEqual(['from-mjs']);
  });

  it('loads the config inside a folder given with -c, and says when there is none', async () => {
    const dir = project('module', { inline: { 'conf/ignite.config.toml': '[tasks.t]\ncommand = "x"\n', 'empty/.keep': '' } });
    expect((await loadIn(loader, dir, 'conf')).tasks?.map((t) => t.name)).toEqual(['t']);
    expect((await loadIn(loader, dir, 'empty')).text).toBe(
      '✖ empty is a folder with no ignite.config.ts, .mts, .js, .mjs, .json, .yaml, .yml or .toml in it: pass a config file',
    );
  });

  it('rejects a config with an unsupported extension', async () => {
    const dir = project('module', { inline: { 'stack.yml5': 'tasks: []\n', 'stack.txt': '' } });
    expect((await loadIn(loader, dir, 'stack.yml5')).text).toBe(
      '✖ stack.yml5: unsupported config format ".yml5": use ignite.config.ts, .mts, .js, .mjs, .json, .yaml, .yml or .toml',
    );
    expect((await loadIn(loader, dir, 'stack.txt')).reason).toBe('unsupported-format');
  });

  it('says to install ignite-run when a config imports it and it is not installed', async () => {
    const config = "import { defineConfig } from 'ignite-run';\nexport default defineConfig({ tasks: [] });\n";
    for (const [type, name] of [['module', 'ignite.config.ts'], ['commonjs', 'ignite.config.ts'], ['module', 'ignite.config.mjs']] as const) {
      const dir = scratch();
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', type }));
      writeFileSync(join(dir, name), config);
      expect((await loadIn(loader, dir)).text).toBe(`✖ ${name} imports "ignite-run", which is not installed here: run npm install -D ignite-run`);
    }
  });

  it('never shows tsx internals when a module the config imports is missing', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'node_modules'));
    writeFileSync(join(dir, 'ignite.config.ts'), "import './tasks.ts';\nexport default { tasks: [] };\n");
    const loaded = await loadIn(loader, dir);
    expect(loaded.text).toBe(
      `✖ ignite.config.ts: the config threw while loading: Cannot find module './tasks.ts' (required from ${join(dir, 'ignite.config.ts')})\n  (run with --debug for the stack trace)`,
    );
  });

  it('reports a config whose top-level await never settles, or whose default export never resolves', async () => {
    const dir = project('module', {
      inline: {
        'ignite.config.ts': 'await new Promise(() => {});\nexport default { tasks: [] };\n',
        'async.mjs': 'export default async () => new Promise(() => {});\n',
      },
    });
    expect((await loadIn(loader, dir)).text).toBe('✖ ignite.config.ts: the config never finished loading: a top-level await in it did not settle');
    expect((await loadIn(loader, dir, undefined, { tsx: true })).reason).toBe('unsettled');
    expect((await loadIn(loader, dir, 'async.mjs')).text).toBe(
      '✖ async.mjs: the config never finished loading: the promise its default export returned did not settle',
    );
  });

  it('gives up on a config still waiting after the load timeout (a timer or a connection that never comes)', async () => {
    const dir = project('module', {
      inline: {
        'ignite.config.ts': 'await new Promise((resolve) => setTimeout(resolve, 1e9));\nexport default { tasks: [] };\n',
        'async.mjs': 'export default () => new Promise((resolve) => setInterval(() => undefined, 1000));\n',
      },
    });
    expect((await loadIn(loader, dir, undefined, { timeoutMs: 300 })).text).toBe(
      '✖ ignite.config.ts: the config did not finish loading within 300ms: a top-level await in it is still waiting',
    );
    expect((await loadIn(loader, dir, 'async.mjs', { timeoutMs: 300 })).text).toBe(
      '✖ async.mjs: the config did not finish loading within 300ms: the promise its default export returned is still waiting',
    );
  });
});
