import type { ChildProcess } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/procs.js';
import { REPO, removeDir, runCli, scratchDir, startCli, waitForOutput } from './cli.js';

const FIXTURES = join(REPO, 'test/fixtures/data-config');

const children: ChildProcess[] = [];
const pids: number[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone, as it should be
    }
  }
  for (const dir of dirs.splice(0)) removeDir(dir);
});

async function gone(pid: number): Promise<boolean> {
  const deadline = Date.now() + 3000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return !isAlive(pid);
}

describe('ignite up on a YAML config', () => {
  it('starts both tasks in order, each ready by its log, and stops every process on Ctrl+C', async () => {
    const dir = scratchDir('data-config');
    dirs.push(dir);
    cpSync(join(FIXTURES, 'stack/ignite.config.yaml'), join(dir, 'ignite.config.yaml'));
    const run = startCli(['up'], { cwd: dir });
    children.push(run.child);
    await waitForOutput(run.stdout, (text) => text.includes('api ● ready'));
    const started = [...run.stdout().matchAll(/^(db|api) +\| pid (\d+)$/gm)].map((m) => [m[1], Number(m[2])] as const);
    pids.push(...started.map(([, pid]) => pid));
    expect(started.map(([name]) => name)).toEqual(['db', 'api']);
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContain('db  | ready to accept connections');
    expect(lines).toContain('api | LISTENING on 3000');
    expect(lines.findIndex((l) => l.startsWith('db  ● ready in'))).toBeLessThan(lines.findIndex((l) => l.startsWith('api ● started')));
    expect(lines).toContain('api ■ stopped');
    expect(lines).toContain('db  ■ stopped');
    for (const [, pid] of started) expect(await gone(pid)).toBe(true);
  });
});

describe('ignite validate on data configs', () => {
  const validate = (file: string) => runCli(['validate', '-c', join(FIXTURES, file)]);

  it('accepts a TOML config in the map form', async () => {
    const result = await validate('good-toml/ignite.config.toml');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✔ test/fixtures/data-config/good-toml/ignite.config.toml: 2 tasks, valid');
    expect(result.stdout).toContain('  api  ready: all(log:/listening/, delay:100ms)');
    expect(result.stdout).toContain('  api → db (ready, restart)');
  });

  it('reports a JSON syntax error at its line and column and exits 2', async () => {
    const result = await validate('bad/ignite.config.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("✖ test/fixtures/data-config/bad/ignite.config.json:4:3: syntax error: Unexpected token ']'\n      ]\n      ^\n");
  });

  it('reports a YAML syntax error at its line and column and exits 2', async () => {
    const result = await validate('bad/ignite.config.yaml');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      '✖ test/fixtures/data-config/bad/ignite.config.yaml:4:1: syntax error: All mapping items must start at the same column\n       ready: { kind: tcp, port: 6379 }\n    ^\n',
    );
  });

  it('reports a TOML syntax error at its line and column and exits 2', async () => {
    const result = await validate('bad/ignite.config.toml');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      '✖ test/fixtures/data-config/bad/ignite.config.toml:3:32: syntax error: invalid value\n    ready = { kind = "tcp", port = }\n                                   ^\n',
    );
  });

  it('names the problems of the map form by task name and says what needs TypeScript', async () => {
    const result = await validate('bad/map-paths.yaml');
    expect(result.code).toBe(2);
    const needsCode = 'cannot be written in a data file: use a TypeScript config (ignite.config.ts)';
    expect(result.stderr).toBe(
      [
        '✖ test/fixtures/data-config/bad/map-paths.yaml: 7 problems',
        `  plugins: plugins are code and ${needsCode}`,
        '  tasks.db.ready.pattern: expected a RegExp like /listening on/, got "([a-z]+" — not a valid regular expression: Unterminated group',
        '  tasks.db.restart.backoff: expected a duration like "500ms", "2s", "1m" or a number of milliseconds, got "fast"',
        '  tasks.api.name: the name "web" differs from its key "api": drop `name` or make them the same',
        `  tasks.api.hooks: hooks are functions and ${needsCode}`,
        `  tasks.api.health.check: a function strategy ${needsCode}`,
        '  tasks.api.dependsOn[0]: unknown task "dbb" — did you mean "db"?',
        '',
      ].join('\n'),
    );
  });
});
