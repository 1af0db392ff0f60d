import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, REPO, removeDir, runCli, scratchDir } from './cli.js';

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

describe('ignite --version and --help', () => {
  it('prints the package version', async () => {
    const result = await runCli(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('lists every command in --help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['up', 'down', 'reload', 'ps', 'start', 'stop', 'restart', 'kill', 'logs', 'web', 'run', 'graph', 'validate', 'init']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    expect(result.stdout).not.toContain('__daemon');
  });

  it('has --help for each command', async () => {
    const result = await runCli(['graph', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--format <format>');
    expect(result.stdout).toContain('-c, --config <file>');
  });

  it('exits 2 on an unknown command or option', async () => {
    expect((await runCli(['bogus'])).code).toBe(2);
    const bad = await runCli(['up', '--output', 'fancy']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("argument 'fancy' is invalid");
  });

  it("names ignite's command or option for what users of other tools type out of habit", async () => {
    const status = await runCli(['status']);
    expect(status).toMatchObject({ code: 2, stderr: "error: unknown command 'status'\n(Did you mean ps?)\n(run with --help for usage)\n" });
    const tail = await runCli(['logs', '--tail', '10', 'web']);
    expect(tail).toMatchObject({ code: 2, stderr: "error: unknown option '--tail'\n(the last N lines: -n N or --lines N)\n(run with --help for usage)\n" });
    const file = await runCli(['up', '-f', 'compose.yaml']);
    expect(file).toMatchObject({ code: 2, stderr: "error: unknown option '-f'\n(the config file is given with -c FILE or --config FILE)\n(run with --help for usage)\n" });
    const restart = await runCli(['restart']);
    expect(restart).toMatchObject({ code: 2, stderr: "error: missing required argument 'patterns'\n(every task is '*')\n(run with --help for usage)\n" });
    // a near miss keeps commander's own suggestion
    expect((await runCli(['restrat', 'api'])).stderr).toContain('(Did you mean restart?)');
  });
});

describe('ignite validate', () => {
  it('prints tasks, edges and start waves of a good config', async () => {
    const result = await runCli(['validate'], { cwd: join(FIXTURES, 'good') });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        '✔ ignite.config.mjs: 4 tasks, valid',
        '',
        'tasks:',
        '  db       ready: log:/db up/',
        '  migrate  ready: spawned  (oneshot)',
        '  api      ready: log:/listening/  (@backend)',
        '  worker   ready: spawned  (@backend)',
        '',
        'edges (task → dependency):',
        '  migrate → db (ready)',
        '  api → db (ready)',
        '  api → migrate (completed)',
        '  worker → db (ready)',
        '',
        'start waves:',
        '  1. db',
        '  2. migrate, worker',
        '  3. api',
        '',
      ].join('\n'),
    );
  });

  it('reports every problem of a bad config and exits 2', async () => {
    const result = await runCli(['validate', '-c', join(FIXTURES, 'bad/ignite.config.mjs')]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        '✖ test/fixtures/e2e/bad/ignite.config.mjs: 2 problems',
        '  tasks[1].dependsOn[0]: unknown task "dbb" — did you mean "db"?',
        '  tasks[2]: unknown field `comand` — did you mean `command`?',
        '',
      ].join('\n'),
    );
  });

  it('exits 2 with a hint to run init when there is no config', async () => {
    const result = await runCli(['validate'], { cwd: '/' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ignite init');
  });
});

describe('ignite up with nothing to start', () => {
  it.each([
    ['no tasks', '[]', 'ignite: the config has no tasks: nothing to start\n'],
    ['only autostart: false', "[{ name: 'tool', command: 'true', autostart: false }]", 'ignite: every task has autostart: false: nothing to start (name one: `ignite up <task>`)\n'],
  ])('says so and exits 0 (%s)', async (_, tasks, message) => {
    const dir = scratchDir('nothing');
    dirs.push(dir);
    writeFileSync(join(dir, 'ignite.config.mjs'), `export default { tasks: ${tasks} };\n`);
    for (const args of [['up'], ['up', '-d']]) {
      const result = await runCli(args, { cwd: dir });
      expect(result).toMatchObject({ code: 0, stderr: message, stdout: '' });
    }
  });
});

describe('ignite init', () => {
  it('writes a sample config that validates', async () => {
    const dir = scratchDir('init');
    dirs.push(dir);
    const init = await runCli(['init'], { cwd: dir });
    expect(init.code).toBe(0);
    expect(readFileSync(join(dir, 'ignite.config.ts'), 'utf8')).toContain("from 'ignite-run'");
    const validate = await runCli(['validate'], { cwd: dir });
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('3 tasks, valid');
  });

  it('prints a sample task with --task whose examples validate once uncommented', async () => {
    const dir = scratchDir('init-task');
    dirs.push(dir);
    const printed = await runCli(['init', '--task', 'api'], { cwd: dir });
    expect(printed.code).toBe(0);
    // every example but those naming other tasks or this machine's accounts
    const live = printed.stdout.replace(/^ {2}\/\/ (?!(dependsOn|user|group|cpus):)/gm, '  ');
    const header = "import { defineConfig, defineTask, ready } from 'ignite-run';\n";
    writeFileSync(join(dir, 'ignite.config.ts'), `${header}${live}\nexport default defineConfig({ tasks: [apiTask] });\n`);
    writeFileSync(join(dir, '.env'), 'A=1\n');
    const validate = await runCli(['validate'], { cwd: dir });
    expect(validate.stderr).toBe('');
    expect(validate.stdout).toContain('1 task, valid');
    expect((await runCli(['init', '--task', 'a b'], { cwd: dir })).code).toBe(2);
  });

  it('refuses to overwrite an existing config without --force', async () => {
    const dir = scratchDir('init-exists');
    dirs.push(dir);
    writeFileSync(join(dir, 'ignite.config.ts'), '// mine\n');
    const refused = await runCli(['init'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('ignite: ignite.config.ts already exists; use `ignite init --force` to overwrite it\n');
    expect(readFileSync(join(dir, 'ignite.config.ts'), 'utf8')).toBe('// mine\n');
    const forced = await runCli(['init', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'ignite.config.ts'), 'utf8')).toContain('defineConfig');
  });
});
