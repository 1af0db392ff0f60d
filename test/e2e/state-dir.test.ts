import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/procs.js';
import { CLI, removeDir, runCli, scratchDir, waitForOutput } from './cli.js';

let dir = '';

let stackDir = '';
let stackConfig = 'a.mjs';

afterEach(async () => {
  await runCli(['down', '-c', stackConfig], { cwd: stackDir });
  removeDir(dir);
});

const config = (task: string): string =>
  `import { defineConfig } from 'ignite-run';\nexport default defineConfig({ tasks: [{ name: '${task}', command: ['sleep', '60'] }] });\n`;

describe('up -d of a config named with -c', () => {
  it('tells how to stop it with that config named, in words that do stop it', async () => {
    dir = realpathSync(scratchDir('named-config'));
    [stackDir, stackConfig] = [dir, 'my stack.mjs'];
    writeFileSync(join(dir, 'my stack.mjs'), config('named'));
    const up = await runCli(['up', '-d', '-c', 'my stack.mjs'], { cwd: dir });
    expect(up.code).toBe(0);
    expect(up.stderr).toMatch(/stop it with `ignite down -c 'my stack\.mjs'`\n$/);
    const rows = JSON.parse((await runCli(['ps', '--json', '-c', 'my stack.mjs'], { cwd: dir })).stdout) as { pid: number }[];
    // the advised command, pasted into a shell
    const advised = /stop it with `ignite (.*)`/.exec(up.stderr)?.[1] ?? '';
    const down = spawnSync('sh', ['-c', `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} ${advised}`], { cwd: dir, encoding: 'utf8' });
    expect(down.status).toBe(0);
    expect(isAlive(rows[0]?.pid ?? 0)).toBe(false);
  });
});

describe('two configs sharing a state dir', () => {
  it('a command given the other config refuses to act on the stack it did not start', async () => {
    dir = realpathSync(scratchDir('two-configs'));
    [stackDir, stackConfig] = [dir, 'a.mjs'];
    writeFileSync(join(dir, 'a.mjs'), config('apple'));
    writeFileSync(join(dir, 'b.mjs'), config('bee'));
    const cli = (...args: string[]) => runCli(args, { cwd: dir });
    expect((await cli('up', '-d', '-c', 'a.mjs')).code).toBe(0);
    const rows = JSON.parse((await cli('ps', '--json', '-c', 'a.mjs')).stdout) as { pid: number }[];
    const pid = rows[0]?.pid ?? 0;

    const a = join(dir, 'a.mjs');
    const b = join(dir, 'b.mjs');
    const refusal = `ignite: the stack in ${dir}/.ignite runs ${a}, not ${b}: both configs use this state dir. Reach that stack with \`-c ${a}\`, and give each config its own \`stateDir\`\n`;
    for (const command of [['down'], ['ps'], ['stop', 'bee'], ['logs']]) {
      const result = await cli(...command, '-c', 'b.mjs');
      expect({ command, code: result.code, stderr: result.stderr }).toEqual({ command, code: 2, stderr: refusal });
    }
    const up = await cli('up', '-d', '-c', 'b.mjs');
    expect(up.code).toBe(2);
    expect(up.stderr).toMatch(
      new RegExp(`^ignite: a stack of another config \\(${a}, pid \\d+\\) is already running in ${dir}/\\.ignite, which ${b} uses too: stop it with \`ignite down -c ${a}\`, or give each config its own \`stateDir\`\\n$`),
    );
    expect(isAlive(pid)).toBe(true);
    const down = await cli('down', '-c', 'a.mjs');
    expect(down.code).toBe(0);
    expect(isAlive(pid)).toBe(false);
  });
});

describe('a project folder moved while its stack runs', () => {
  it('leaves no folder at the old place: logs go on in the moved files, and down works from the new place', async () => {
    dir = realpathSync(scratchDir('moved'));
    const before = join(dir, 'one');
    const after = join(dir, 'two');
    mkdirSync(before);
    writeFileSync(
      join(before, 'ignite.config.mjs'),
      `export default { tasks: [{ name: 'tick', command: 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.05; done' }, { name: 'idle', command: ['sleep', '60'] }] };\n`,
    );
    [stackDir, stackConfig] = [after, 'ignite.config.mjs'];
    expect((await runCli(['up', '-d'], { cwd: before })).code).toBe(0);
    renameSync(before, after);
    const ticks = () => (existsSync(join(after, '.ignite/logs/tick.log')) ? readFileSync(join(after, '.ignite/logs/tick.log'), 'utf8') : '');
    const seen = ticks().split('\n').length;

    // a stop makes the supervisor record its children again: the state file is not made at the old place
    expect((await runCli(['stop', 'idle'], { cwd: after })).code).toBe(0);
    const log = () => readFileSync(join(after, '.ignite/ignite.log'), 'utf8');
    await waitForOutput(log, (text) => text.includes(`the state dir ${before}/.ignite was moved or removed while the stack ran`));
    // 40 more lines at 50 ms each: 2 s, past the log writer's check that its file still exists (1 s)
    await waitForOutput(ticks, (text) => text.split('\n').length > seen + 40);
    expect(existsSync(before)).toBe(false);

    const down = await runCli(['down'], { cwd: after });
    expect({ code: down.code, stderr: down.stderr }).toEqual({ code: 0, stderr: 'ignite: stack stopped\n' });
    expect(existsSync(before)).toBe(false);
  });
});

describe('a project on a read-only filesystem', () => {
  it('up and up -d name EROFS, not "no such file or directory" for a folder that exists', async (ctx) => {
    dir = realpathSync(scratchDir('read-only'));
    [stackDir, stackConfig] = [dir, 'ignite.config.mjs'];
    const project = join(dir, 'ro');
    mkdirSync(project);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', project]);
    if (mounted.status !== 0) ctx.skip(`mount -t tmpfs is not permitted here: ${mounted.stderr.toString().trim()}`);
    try {
      writeFileSync(join(project, 'ignite.config.mjs'), `export default { tasks: [{ name: 'a', command: ['sleep', '60'] }] };\n`);
      execFileSync('mount', ['-o', 'remount,ro', project]);
      const detached = await runCli(['up', '-d'], { cwd: project });
      expect({ code: detached.code, stderr: detached.stderr }).toEqual({
        code: 1,
        stderr: `ignite: cannot start the background supervisor: cannot write its log ${project}/.ignite/ignite.log: EROFS: read-only file system, mkdir '${project}/.ignite'\n`,
      });
      const up = await runCli(['up'], { cwd: project });
      expect({ code: up.code, stderr: up.stderr }).toEqual({
        code: 1,
        stderr: `ignite: cannot start the control server: cannot create ${project}/.ignite/run: EROFS: read-only file system, mkdir '${project}/.ignite'\n`,
      });
    } finally {
      execFileSync('umount', ['-l', project]);
    }
  });
});

/** The children of `pid` whose command line starts with `prefix`. */
function childrenOf(pid: number, prefix: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && readFileSync(`/proc/${entry}/cmdline`, 'latin1').replaceAll('\0', ' ').startsWith(prefix)) found.push(Number(entry));
    } catch {
      // not a process, or gone
    }
  }
  return found;
}

describe('a supervisor killed with its guardian', () => {
  it('ps says which processes it left running, and down stops them', async () => {
    dir = realpathSync(scratchDir('killed'));
    [stackDir, stackConfig] = [dir, 'ignite.config.mjs'];
    writeFileSync(join(dir, 'ignite.config.mjs'), `export default { tasks: [{ name: 'lone', command: ['sleep', '60'] }] };\n`);
    expect((await runCli(['up', '-d'], { cwd: dir })).code).toBe(0);
    const state = JSON.parse(readFileSync(join(dir, '.ignite/run/state.json'), 'utf8')) as { supervisorPid: number; children: { pid: number }[] };
    const task = state.children[0]?.pid ?? 0;
    // the guardian would stop the task at once: SIGKILL it first, as a `kill -9` of everything ignite might do
    const guardians = childrenOf(state.supervisorPid, '/bin/sh -c trap');
    expect(guardians).toHaveLength(1);
    for (const pid of [...guardians, state.supervisorPid]) process.kill(pid, 'SIGKILL');
    await waitForOutput(() => (isAlive(state.supervisorPid) ? '' : 'gone'), (text) => text === 'gone');

    const ps = await runCli(['ps'], { cwd: dir });
    expect({ code: ps.code, stderr: ps.stderr }).toEqual({
      code: 1,
      stderr: `ignite: no ignite stack is running for ${dir}/.ignite, but processes left by an ignite that died still run: lone (pid ${task}); \`ignite down\` stops them\n`,
    });
    expect(isAlive(task)).toBe(true);
    const down = await runCli(['down'], { cwd: dir });
    expect({ code: down.code, stderr: down.stderr }).toEqual({ code: 0, stderr: `ignite: stopped 1 process left by an ignite that died: lone (pid ${task})\n` });
    expect(isAlive(task)).toBe(false);
  });
});
