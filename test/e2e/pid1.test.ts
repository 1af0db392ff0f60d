import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, removeDir, scratchDir, startCli, waitForOutput } from './cli.js';

const UNSHARE = ['/usr/bin/unshare', '/bin/unshare'].find((path) => spawnSync(path, ['--version']).status === 0);
const permitted = UNSHARE !== undefined && spawnSync(UNSHARE, ['--pid', '--fork', '--mount-proc', 'true'], { timeout: 5000 }).status === 0;
const hasTini = spawnSync('tini', ['--version']).status === 0;

interface Proc {
  pid: number;
  ppid: number;
  cmdline: string;
}

function children(ppid: number): Proc[] {
  const found: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== ppid) continue;
      found.push({ pid, ppid: parent, cmdline: readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim() });
    } catch {
      // gone while we looked
    }
  }
  return found;
}

/** `unshare --pid --fork --mount-proc node <cli> args…`: ignite runs as PID 1 of a new PID namespace. */
function asPid1(dir: string, args: string[], env: Record<string, string | undefined> = {}): ReturnType<typeof startCli> {
  return startCli([], { cwd: dir, env, argv: [UNSHARE ?? '/usr/bin/unshare', '--pid', '--fork', '--mount-proc', process.execPath, CLI, ...args] });
}

describe.skipIf(!permitted)('ignite as PID 1 of a PID namespace', () => {
  let dir = '';
  const started: ReturnType<typeof startCli>[] = [];

  beforeEach(() => {
    dir = scratchDir('pid1');
    writeFileSync(
      join(dir, 'ignite.config.mjs'),
      `import { defineConfig } from 'ignite-run';\nexport default defineConfig({ tasks: [{ name: 'svc', command: ['sleep', '1000'] }] });\n`,
    );
  });

  afterEach(async () => {
    for (const run of started.splice(0)) {
      run.child.kill('SIGKILL');
      await run.done;
    }
    removeDir(dir);
  });

  it.skipIf(!hasTini)('runs itself under tini -s -g, and a SIGTERM to PID 1 still stops the stack gracefully (exit 0)', async () => {
    const run = asPid1(dir, ['up']);
    started.push(run);
    await waitForOutput(run.stdout, (text) => /svc .*ready/.test(text));
    // unshare → PID 1 (this CLI) → tini → the CLI that runs the stack
    const pid1 = children(run.child.pid ?? -1).find((p) => p.cmdline.includes(CLI));
    expect(pid1).toBeDefined();
    const tini = children(pid1?.pid ?? -1).find((p) => /tini -s -g -- /.test(p.cmdline));
    expect(tini?.cmdline).toContain(CLI);
    expect(children(tini?.pid ?? -1).some((p) => p.cmdline.includes(CLI))).toBe(true);
    process.kill(pid1?.pid ?? -1, 'SIGTERM');
    const result = await run.done;
    expect(result.stdout).toMatch(/svc .*stopped/);
    expect(result.code).toBe(0);
  });

  it.skipIf(!hasTini)('passes the exit code of ignite through tini', async () => {
    writeFileSync(
      join(dir, 'ignite.config.mjs'),
      `import { defineConfig } from 'ignite-run';\nexport default defineConfig({ tasks: [{ name: 'job', oneshot: true, command: ['sh', '-c', 'exit 7'] }] });\n`,
    );
    const result = await asPid1(dir, ['run', 'job']).done;
    expect(result.code).toBe(7);
  });

  it('refuses with exit 2 and says how to fix it when tini is not on PATH', async () => {
    const empty = join(dir, 'empty-path');
    mkdirSync(empty);
    const result = await asPid1(dir, ['up'], { PATH: empty }).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'ignite: running as PID 1, ignite cannot reap orphaned processes; install tini (apt-get install tini) and ignite will use it, or run the container with an init (docker run --init)',
    );
  });

  it('does not wrap commands that start no processes', async () => {
    const empty = join(dir, 'empty-path');
    mkdirSync(empty);
    const result = await asPid1(dir, ['validate'], { PATH: empty }).done;
    expect(result.stderr).not.toContain('PID 1');
    expect(result.code).toBe(0);
  });
});
