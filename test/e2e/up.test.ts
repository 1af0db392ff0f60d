import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findTagged, RUN_TAG_VAR } from '../helpers/procs.js';
import { CLI, FIXTURES, removeDir, runCli, scratchDir, startCli, waitForOutput } from './cli.js';

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Processes of this test run still alive, other than vitest's own workers. */
function leftovers(): string[] {
  const tag = process.env[RUN_TAG_VAR] ?? '';
  return findTagged(tag)
    .filter((p) => !p.zombie && /\bsleep\b|ignite|main\.js/.test(p.cmdline) && !p.cmdline.includes('vitest'))
    .map((p) => `${p.pid} ${p.cmdline}`);
}

async function noneLeft(): Promise<void> {
  const deadline = Date.now() + 3000;
  while (leftovers().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(leftovers()).toEqual([]);
}

describe('ignite up in plain mode', () => {
  it('prints prefixed output and state lines, and exits 0 when every oneshot completed', async () => {
    const result = await runCli(['up'], { cwd: join(FIXTURES, 'oneshots') });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContain('first       | one');
    expect(lines).toContain('first       | two');
    expect(lines).toContain('second-task ● waiting for first');
    expect(lines).toContain('first       ✔ completed');
    expect(lines).toContain('second-task | after first');
    expect(lines).toContain('second-task ✔ completed');
    expect(lines.indexOf('first       ✔ completed')).toBeLessThan(lines.indexOf('second-task | after first'));
  });

  it('prints no colour codes when stdout is not a terminal, even in CI; FORCE_COLOR turns them on', async () => {
    const cwd = join(FIXTURES, 'oneshots');
    const plain = await runCli(['up'], { cwd, env: { NO_COLOR: undefined } });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('first       | one');
    expect(plain.stdout).not.toContain('\x1b[');
    const forced = await runCli(['up'], { cwd, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('\x1b[');
  });

  it('exits 1 when a task fails, blocking its dependents', async () => {
    const result = await runCli(['up'], { cwd: join(FIXTURES, 'failing') });
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines).toContain('broken | about to fail');
    expect(lines).toContain('broken ✖ failed: exited with code 3; last output: about to fail');
    expect(lines).toContain('after  ⊘ blocked: not started because broken failed');
    expect(lines).toContain('ok     ✔ completed');
    expect(result.stdout).not.toContain('never');
  });

  it('prints one JSON event per line with --output json', async () => {
    const result = await runCli(['up', '--output', 'json'], { cwd: join(FIXTURES, 'oneshots') });
    expect(result.code).toBe(0);
    const events = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; task?: string });
    expect(events.some((e) => e.type === 'task-output' && e.task === 'first')).toBe(true);
    expect(events.some((e) => e.type === 'task-state')).toBe(true);
  });

  it('hands a slow reader every event before it exits (a pipe takes 64 KiB; process.exit dropped the rest)', async () => {
    const dir = scratchDir('slow-reader');
    try {
      const lines = 50_000;
      writeFileSync(
        join(dir, 'ignite.config.mjs'),
        `export default { tasks: [{ name: 'big', oneshot: true, command: ['node', '-e', 'for (let i = 1; i <= ${lines}; i++) console.log("line " + i)'] }] };\n`,
      );
      const child = spawn(process.execPath, [CLI, 'up', '--output', 'json'], { cwd: dir, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
      started.push(child);
      // a reader slower than ignite (jq on a busy machine): a pause of 10 ms after every chunk
      const chunks: Buffer[] = [];
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      child.stdout.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        child.stdout.pause();
        setTimeout(() => child.stdout.resume(), 10);
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code, stderr).toBe(0);
      const events = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; state?: string });
      expect(events.filter((e) => e.type === 'task-output')).toHaveLength(lines);
      expect(events.at(-1)).toMatchObject({ type: 'stack-state', state: 'settled' });
    } finally {
      removeDir(dir);
    }
  });

  it('exits 2 listing the tasks when a pattern matches nothing', async () => {
    const result = await runCli(['up', 'nothing-*'], { cwd: join(FIXTURES, 'oneshots') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no task matches "nothing-*"; tasks: first, second-task');
  });

  it('exits 130 on SIGINT during startup and leaves no process behind', async () => {
    const run = startCli(['up'], { cwd: join(FIXTURES, 'slow') });
    started.push(run.child);
    await waitForOutput(run.stdout, (text) => text.includes('db  | booting'));
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(result.stdout).toContain('db  ■ stopped');
    await noneLeft();
  });
});

describe('ignite run', () => {
  it("exits with the task's own exit code and stops its dependencies", async () => {
    const result = await runCli(['run', 'job'], { cwd: join(FIXTURES, 'runcode') });
    expect(result.code).toBe(7);
    expect(result.stdout).toContain('job | working');
    expect(result.stdout).toContain('db  ■ stopped');
    await noneLeft();
  });

  it('exits 0 when the task completes', async () => {
    const result = await runCli(['run', 'good'], { cwd: join(FIXTURES, 'runcode') });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('good | all good');
    await noneLeft();
  });

  it('exits 2 for an unknown task', async () => {
    const result = await runCli(['run', 'jobb'], { cwd: join(FIXTURES, 'runcode') });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('ignite: unknown task "jobb" — did you mean "job"?; tasks: db, job, good\n');
  });
});
