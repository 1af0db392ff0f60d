import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareReady } from '../../../src/ready/index.js';
import type { ReadyRun, ReadySpec } from '../../../src/ready/types.js';
import { isAlive } from '../../helpers/procs.js';
import { childEnv, later, makeRun, until } from '../../fixtures/ready/run.js';

let dir = '';
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ignite-ready-'));
});

afterEach(() => {
  for (const child of children.splice(0)) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A shell child in its own process group, with an extra pipe as fd 3. */
function sh(script: string, env: Record<string, string> = {}): ChildProcess {
  const child = spawn('/bin/sh', ['-c', script], { cwd: dir, env: childEnv(env), detached: true, stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  children.push(child);
  return child;
}

function run(overrides: Partial<ReadyRun> = {}): ReadyRun {
  return makeRun({ cwd: dir, ...overrides });
}

function pids(file: string): number[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split(/\s+/).filter(Boolean).map(Number);
}

function openFds(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).includes(path);
    } catch {
      return false;
    }
  }).length;
}

describe('ready.file', () => {
  it('passes once a child creates the file, even in a folder made later', async () => {
    const prepared = await prepareReady({ kind: 'file', path: 'var/run/app.ready' }, { task: 'api', runDir: dir, cwd: dir });
    const started = Date.now();
    sh('sleep 0.15; mkdir -p var/run; touch var/run/app.ready');
    const result = await prepared.wait(run());
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(existsSync(join(dir, 'var/run/app.ready'))).toBe(true);
  });

  it('passes at once when the file is already there', async () => {
    writeFileSync(join(dir, 'done'), '');
    const prepared = await prepareReady({ kind: 'file', path: 'done' }, { task: 'api', runDir: dir, cwd: dir });
    expect((await prepared.wait(run({ timeoutMs: 50 }))).ok).toBe(true);
  });
});

describe('ready.pipe', () => {
  it('creates a FIFO, passes its path, and passes when the task writes ready', async () => {
    const runDir = join(dir, 'run');
    const prepared = await prepareReady({ kind: 'pipe' }, { task: 'api', runDir, cwd: dir });
    const fifo = prepared.env.IGNITE_READY_PIPE ?? '';
    expect(fifo.startsWith(runDir)).toBe(true);
    expect(readdirSync(runDir)).toHaveLength(1);
    const started = Date.now();
    // A first writer that says something else, then the real one.
    sh('echo starting > "$IGNITE_READY_PIPE"; sleep 0.1; printf "ok\\nready\\n" > "$IGNITE_READY_PIPE"', prepared.env);
    const result = await prepared.wait(run());
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(openFds(fifo)).toBe(0);
    await prepared.dispose();
    await prepared.dispose();
    expect(existsSync(fifo)).toBe(false);
  });

  it('accepts a final ready without newline, split across writes', async () => {
    const prepared = await prepareReady({ kind: 'pipe' }, { task: 'api', runDir: join(dir, 'run'), cwd: dir });
    sh('{ printf rea; sleep 0.05; printf dy; } > "$IGNITE_READY_PIPE"', prepared.env);
    expect((await prepared.wait(run())).ok).toBe(true);
    await prepared.dispose();
  });

  it('stops reading when aborted and dispose leaves no FIFO behind', async () => {
    const runDir = join(dir, 'run');
    const prepared = await prepareReady({ kind: 'pipe' }, { task: 'api/1', runDir, cwd: dir });
    const fifo = prepared.env.IGNITE_READY_PIPE ?? '';
    const controller = new AbortController();
    const waiting = prepared.wait(run({ signal: controller.signal }));
    await until(() => openFds(fifo) === 1, 2000, 'the FIFO to be opened');
    controller.abort();
    expect(await waiting).toMatchObject({ ok: false, error: { reason: 'ready-error', message: 'aborted', strategy: 'pipe' } });
    await until(() => openFds(fifo) === 0, 2000, 'the FIFO to be closed');
    await prepared.dispose();
    expect(readdirSync(runDir)).toEqual([]);
  });

  it('reports a FIFO that cannot be made as a ready-error', async () => {
    writeFileSync(join(dir, 'state'), 'a file, not a folder');
    const runDir = join(dir, 'state', 'run');
    const prepared = await prepareReady({ kind: 'pipe' }, { task: 'api', runDir, cwd: dir });
    expect(prepared.env).toEqual({});
    const result = await prepared.wait(run());
    expect(result).toMatchObject({ ok: false, error: { reason: 'ready-error', task: 'api', strategy: 'pipe' } });
    expect(result.ok ? '' : 'message' in result.error ? result.error.message : '').toContain(`cannot create ${runDir}: ENOTDIR`);
  });
});

describe('ready.notify', () => {
  it('passes when the task writes a line to the notify fd', async () => {
    const prepared = await prepareReady({ kind: 'notify' }, { task: 'api', runDir: dir, cwd: dir });
    expect(prepared).toMatchObject({ needsNotifyFd: true, env: { IGNITE_NOTIFY_FD: '3' } });
    const child = sh('sleep 0.1; printf "up\\n" >&$IGNITE_NOTIFY_FD; sleep 30', prepared.env);
    const started = Date.now();
    const result = await prepared.wait(run({ notify: child.stdio[3] as Readable }));
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('fails at once when the task closes the notify fd without a line', async () => {
    const prepared = await prepareReady({ kind: 'notify' }, { task: 'api', runDir: dir, cwd: dir });
    const child = sh('printf "partial" >&3; exec 3>&-; sleep 30', prepared.env);
    const started = Date.now();
    const result = await prepared.wait(run({ notify: child.stdio[3] as Readable, timeoutMs: 10_000 }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result).toMatchObject({
      ok: false,
      error: { reason: 'ready-error', strategy: 'notify', message: 'the task closed the notify fd without writing a line' },
    });
  });
});

describe('ready.command', () => {
  const command = (cmd: string | string[], timeout?: string): ReadySpec => ({ kind: 'command', command: cmd, timeout });

  it('polls an argv command until it exits 0', async () => {
    const prepared = await prepareReady(command(['test', '-e', 'marker']), { task: 'api', runDir: dir, cwd: dir });
    let markedAt = 0;
    later(120, () => {
      markedAt = Date.now();
      writeFileSync(join(dir, 'marker'), '');
    });
    const result = await prepared.wait(run());
    expect(result.ok).toBe(true);
    expect(markedAt).toBeGreaterThan(0);
  });

  it('kills a hung probe at its own timeout, leaving no process behind', async () => {
    const prepared = await prepareReady(command('echo $$ >> probes; exec sleep 30', '100ms'), { task: 'api', runDir: dir, cwd: dir });
    const result = await prepared.wait(run({ timeoutMs: 700 }));
    expect(result).toMatchObject({ ok: false, error: { reason: 'ready-timeout', strategy: 'command:echo $$ >> probes; exec sleep 30' } });
    const started = pids(join(dir, 'probes'));
    expect(started.length).toBeGreaterThanOrEqual(2);
    await until(() => started.every((pid) => !isAlive(pid)), 2000, 'every probe to be gone');
  });

  it('kills the probe group when aborted, and its background children once it exits', async () => {
    const bg = await prepareReady(command('sleep 30 & echo $! > bg; exit 0'), { task: 'api', runDir: dir, cwd: dir });
    expect((await bg.wait(run())).ok).toBe(true);
    const [background] = pids(join(dir, 'bg'));
    await until(() => background !== undefined && !isAlive(background), 2000, 'the background child to be killed');

    const hung = await prepareReady(command(['sh', '-c', 'echo $$ > hung; exec sleep 30']), { task: 'api', runDir: dir, cwd: dir });
    const controller = new AbortController();
    const waiting = hung.wait(run({ signal: controller.signal }));
    await until(() => pids(join(dir, 'hung')).length === 1, 2000, 'the probe to start');
    controller.abort();
    expect(await waiting).toMatchObject({ ok: false, error: { message: 'aborted' } });
    const [pid] = pids(join(dir, 'hung'));
    await until(() => pid !== undefined && !isAlive(pid), 2000, 'the probe to be killed');
  });

  it('fails at once for a probe binary that does not exist', async () => {
    const prepared = await prepareReady(command(['ignite-no-such-probe']), { task: 'api', runDir: dir, cwd: dir });
    const result = await prepared.wait(run());
    expect(result).toMatchObject({ ok: false, error: { reason: 'ready-error', message: `cannot run ignite-no-such-probe: command not found (cwd ${dir})` } });
  });
});
