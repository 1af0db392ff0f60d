import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/procs.js';
import { CLI, removeDir, runCli, scratchProject, startCli, waitForOutput } from './cli.js';

// `up -d`: what the background supervisor writes to its own log, and what `up -d` waits for.
let dir = '';
/** The permission test runs the CLI as nobody: it needs root and runuser (util-linux). */
const asNobody = process.getuid?.() === 0 && spawnSync('runuser', ['--version'], { stdio: 'ignore' }).status === 0;
let client: number | undefined;

afterEach(async () => {
  if (client !== undefined && isAlive(client)) {
    process.kill(client, 'SIGCONT');
    process.kill(client, 'SIGKILL');
  }
  client = undefined;
  await runCli(['down'], { cwd: dir });
  // a supervisor that a failed test left running
  const daemon = existsSync(join(dir, '.ignite/ignite.log')) ? /^--- ignite (\d+) starting/m.exec(readFileSync(join(dir, '.ignite/ignite.log'), 'utf8')) : null;
  if (daemon?.[1] !== undefined && isAlive(Number(daemon[1]))) process.kill(Number(daemon[1]), 'SIGKILL');
  removeDir(dir);
});

/** The last bytes of a file ('' while it does not exist). */
function tail(file: string, bytes = 256): string {
  if (!existsSync(file)) return '';
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const read = readSync(fd, buffer, 0, bytes, Math.max(0, statSync(file).size - bytes));
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

describe('up -d', () => {
  it('keeps task output out of ignite.log, and still shows a failed task its reason', async () => {
    dir = scratchProject('detach-output', 'detach-output/ignite.config.mjs');
    const result = await runCli(['up', '-d'], { cwd: dir, timeoutMs: 30_000 });
    expect(result.code).toBe(1);
    const reason = 'exited with code 3; last output: FATAL: data dir corrupt';
    expect(result.stdout).toContain(`broken (failed): ${reason}`);
    expect(result.stdout).toMatch(/^chatty +ready/m);
    const log = readFileSync(join(dir, '.ignite/ignite.log'), 'utf8');
    expect(log).toContain(`broken ✖ failed: ${reason}`);
    expect(log).not.toContain('chatty line');
    expect(log.length).toBeLessThan(4096);
    expect(readFileSync(join(dir, '.ignite/logs/chatty.log'), 'utf8')).toContain('chatty line');
  });

  it('waits for a oneshot to complete however much it prints, even while it cannot read as fast', async () => {
    dir = scratchProject('detach-flood', 'detach-flood/ignite.config.mjs');
    const up = startCli(['up', '-d', 'migrate'], { cwd: dir, timeoutMs: 60_000 });
    client = up.child.pid;
    // once up -d prints ticker's start, it reads the supervisor's events
    const deadline = Date.now() + 20_000;
    for (;;) {
      await runCli(['restart', 'ticker'], { cwd: dir });
      const shown = await waitForOutput(up.stdout, (text) => /ticker +● started/.test(text), 1_000).then(
        () => true,
        () => false,
      );
      if (shown) break;
      if (Date.now() > deadline) throw new Error(`up -d never showed ticker's start:\n${up.stdout()}`);
    }
    // up -d reads nothing while migrate prints ~9 MB
    up.child.kill('SIGSTOP');
    writeFileSync(join(dir, 'go'), '');
    const migrateLog = join(dir, '.ignite/logs/migrate.log');
    await waitForOutput(() => tail(migrateLog), (text) => text.includes('FLOOD DONE'), 30_000);
    up.child.kill('SIGCONT');
    writeFileSync(join(dir, 'release'), '');
    const result = await up.done;
    expect(result.stderr).toContain('stack running in the background');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('migrate ✔ completed');
    expect(result.stdout).toMatch(/^migrate +completed/m);
    expect(tail(migrateLog)).toContain('MIGRATION DONE');
  });

  it.runIf(asNobody)('says which file it cannot write in a state dir of another user, exit 1', async () => {
    dir = scratchProject('detach-eacces', 'detach-output/ignite.config.mjs');
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'ignite.config.mjs'), 0o644);
    mkdirSync(join(dir, '.ignite'), { mode: 0o555 });
    chownSync(join(dir, '.ignite'), 0, 0);
    const argv: [string, ...string[]] = ['runuser', '-u', 'nobody', '--', process.execPath, CLI, 'up', '-d'];
    const result = await runCli([], { cwd: dir, argv, timeoutMs: 30_000 });
    const log = join(dir, '.ignite/ignite.log');
    expect(result.stderr).toBe(`ignite: cannot start the background supervisor: cannot write its log ${log}: EACCES: permission denied, open '${log}'\n`);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
  });
});

