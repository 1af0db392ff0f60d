import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dep, harness, stack, task } from './fixtures.js';

const make = harness();
const isRoot = process.getuid?.() === 0;

/** A user of this machine with supplementary groups, and all its group ids as `id -G` lists them. */
function userWithGroups(): { user: string; groups: string[] } | undefined {
  for (const user of ['postgres', 'www-data', 'daemon']) {
    try {
      const groups = execFileSync('id', ['-G', user], { encoding: 'utf8' }).trim().split(' ').sort();
      if (groups.length > 1) return { user, groups };
    } catch {
      // no such user here
    }
  }
  return undefined;
}

describe('spawning', () => {
  it('reports a missing binary once, naming task and binary, while still backing off', async () => {
    const { sup, rec } = make(
      stack((dir) => [task('ghost', ['ignite-no-such-binary', '--x'], { restart: { backoffMs: 20, maxRestarts: 3 } }, dir)]),
    );
    await sup.up();
    const warnings = rec.of('task-warning', 'ghost');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toBe('cannot start "ignite-no-such-binary": command not found in PATH (ENOENT)');
    expect(rec.of('task-state', 'ghost').filter((e) => e.failure?.reason === 'spawn-error')).toEqual([]);
    expect(rec.of('task-restart', 'ghost').map((e) => e.delayMs)).toEqual([20, 40, 80]);
    const last = rec.of('task-state', 'ghost').at(-1);
    expect(last).toMatchObject({
      state: 'failed',
      failure: { reason: 'max-restarts', last: { reason: 'spawn-error', code: 'ENOENT', binary: 'ignite-no-such-binary' } },
    });
  });

  it('fails with ENOENT naming a missing working directory', async () => {
    const { sup, rec } = make(
      stack((dir) => [task('lost', ['true'], { cwd: '/nonexistent/ignite-x', restart: { policy: 'never' } }, dir)]),
    );
    await sup.up();
    expect(rec.of('task-state', 'lost').at(-1)?.failure).toEqual({
      reason: 'spawn-error',
      task: 'lost',
      code: 'ENOENT',
      binary: 'true',
      message: 'task "lost": working directory /nonexistent/ignite-x does not exist',
      cwd: '/nonexistent/ignite-x',
    });
  });

  it('fails with EACCES for a file that is not executable', async () => {
    const { sup, rec } = make(
      stack((dir) => {
        writeFileSync(join(dir, 'script.sh'), 'echo hi\n');
        chmodSync(join(dir, 'script.sh'), 0o644);
        return [task('noexec', ['./script.sh'], { restart: { policy: 'never' } }, dir)];
      }),
    );
    await sup.up();
    expect(rec.of('task-state', 'noexec').at(-1)?.failure).toMatchObject({ reason: 'spawn-error', code: 'EACCES', binary: './script.sh' });
  });

  it('fails with EISDIR for a command that is a folder, and says so', async () => {
    const { sup, rec } = make(stack((dir) => [task('dir', ['./'], { restart: { policy: 'never' } }, dir)]));
    await sup.up();
    expect(rec.of('task-state', 'dir').at(-1)?.failure).toMatchObject({ reason: 'spawn-error', code: 'EISDIR', binary: './' });
    expect(sup.status()[0]?.message).toBe('cannot start "./": it is a folder, not a program (EISDIR)');
  });

  it('names task and binary once for an error Node raises at the spawn itself', async () => {
    // validation refuses a NUL byte; a spec built by hand reaches Node's own check
    const { sup } = make(stack((dir) => [task('nul', ['true'], { env: { X: 'a\u0000b' }, restart: { policy: 'never' } }, dir)]));
    await sup.up();
    const message = sup.status()[0]?.message ?? '';
    expect(message).toMatch(/^cannot start "true": The property .*null bytes.*\(ERR_INVALID_ARG_VALUE\)$/);
    expect(message.match(/cannot start/g)).toHaveLength(1);
  });

  it('runs replicas as w:0 and w:1 with IGNITE_REPLICA, and a dependent waits for all of them', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('w', 'echo "task=$IGNITE_TASK replica=$IGNITE_REPLICA"; exec sleep 30', { replicas: 2 }, dir),
        task('after', ['sleep', '30'], { dependsOn: [dep('w')] }, dir),
      ]),
    );
    await sup.up();
    expect(sup.status().map((s) => [s.name, s.task, s.state])).toEqual([
      ['w:0', 'w', 'ready'],
      ['w:1', 'w', 'ready'],
      ['after', 'after', 'ready'],
    ]);
    await rec.waitFor('task-output', (e) => e.task === 'w:1' && e.lines.includes('task=w:1 replica=1'));
    await rec.waitFor('task-output', (e) => e.task === 'w:0' && e.lines.includes('task=w:0 replica=0'));
    const afterSpawn = rec.of('task-spawn', 'after')[0]!.at;
    for (const name of ['w:0', 'w:1']) expect(afterSpawn).toBeGreaterThanOrEqual(rec.of('task-ready', name)[0]!.at);
    const pids = sup.status(['w']).map((s) => s.pid);
    expect(new Set(pids).size).toBe(2);
  });

  it('keeps only PATH and the task env when inheritEnv is false', async () => {
    process.env.IGNITE_SUP_SECRET = 'inherited';
    const { sup, rec } = make(
      stack((dir) => [task('env', 'echo "secret=${IGNITE_SUP_SECRET:-none} own=$OWN path=${PATH:+set}"', { oneshot: true, inheritEnv: false, env: { OWN: 'mine' } }, dir)]),
    );
    await sup.up();
    delete process.env.IGNITE_SUP_SECRET;
    expect(rec.of('task-output', 'env').flatMap((e) => e.lines)).toEqual(['secret=none own=mine path=set']);
  });

  it('applies umask and cpus through argv wrappers', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('masked', ['sh', '-c', 'umask'], { oneshot: true, umask: 0o077 }, dir),
        task('pinned', ['grep', 'Cpus_allowed_list', '/proc/self/status'], { oneshot: true, cpus: [0] }, dir),
      ]),
    );
    await sup.up();
    expect(rec.of('task-output', 'masked').flatMap((e) => e.lines)).toEqual(['0077']);
    expect(rec.of('task-output', 'pinned')[0]?.lines[0]).toMatch(/Cpus_allowed_list:\s+0$/);
  });

  it.runIf(isRoot)('runs a task as another user when ignite is root', async () => {
    const { sup, rec } = make(stack((dir) => [task('who', ['id', '-u'], { oneshot: true, user: 'nobody' }, dir)]));
    await sup.up();
    expect(rec.of('task-output', 'who').flatMap((e) => e.lines)).toEqual(['65534']);
  });

  // a system user that belongs to other groups than its own: postgres is in ssl-cert where the postgres package is installed (CI installs it)
  const grouped = isRoot ? userWithGroups() : undefined;
  it.runIf(grouped !== undefined && existsSync('/usr/bin/setpriv'))("gives a task run as another user that user's supplementary groups", async () => {
    const { user, groups } = grouped!;
    const { sup, rec } = make(stack((dir) => [task('who', ['id', '-G'], { oneshot: true, user }, dir)]));
    await sup.up();
    const ids = (rec.of('task-output', 'who')[0]?.lines[0] ?? '').split(' ').sort();
    expect(ids).toEqual(groups);
  });

  it('reports an unknown user clearly', async () => {
    const { sup, rec } = make(
      stack((dir) => [task('who', ['id'], { oneshot: true, user: 'ignite-no-such-user' }, dir)]),
    );
    await sup.up();
    expect(rec.of('task-state', 'who').at(-1)?.failure).toMatchObject({ reason: 'not-supported', option: 'user' });
  });
});
