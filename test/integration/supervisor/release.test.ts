import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dep, harness, logReady, stack, task } from './fixtures.js';

const make = harness();

describe('dependency release', () => {
  it('spawns a dependent only after its dependency reported ready', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('db', 'sleep 0.3; echo "db listening"; exec sleep 30', { ready: logReady(/listening/) }, dir),
        task('api', ['sleep', '30'], { dependsOn: [dep('db')] }, dir),
      ]),
    );
    const result = await sup.up();
    expect(result).toEqual({ ok: true, value: { started: ['db', 'api'], failed: [], blocked: [] } });
    const dbReady = rec.of('task-ready', 'db')[0]!;
    const apiSpawn = rec.of('task-spawn', 'api')[0]!;
    expect(apiSpawn.at).toBeGreaterThanOrEqual(dbReady.at);
    expect(rec.events.indexOf(apiSpawn)).toBeGreaterThan(rec.events.indexOf(dbReady));
    expect(rec.of('task-waiting', 'api').map((e) => e.on)).toContain('db');
    expect(rec.of('task-waiting', 'db').map((e) => e.on)).toEqual(['log:/listening/']);
  });

  it('does not hold a fast branch back behind a slow sibling (no waves)', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('slow', 'sleep 1; echo up; exec sleep 30', { ready: logReady(/up/) }, dir),
        task('fast', ['sleep', '30'], {}, dir),
        task('fast-child', ['sleep', '30'], { dependsOn: [dep('fast')] }, dir),
        task('slow-child', ['sleep', '30'], { dependsOn: [dep('slow')] }, dir),
      ]),
    );
    await sup.up();
    const slowReady = rec.of('task-ready', 'slow')[0]!;
    expect(rec.of('task-spawn', 'fast-child')[0]!.at).toBeLessThan(slowReady.at);
    expect(rec.of('task-spawn', 'slow-child')[0]!.at).toBeGreaterThanOrEqual(slowReady.at);
  });

  it('releases a "started" dependent as soon as its dependency is spawned', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('db', 'sleep 1; echo ok; exec sleep 30', { ready: logReady(/ok/) }, dir),
        task('tail', ['sleep', '30'], { dependsOn: [dep('db', 'started')] }, dir),
      ]),
    );
    await sup.up();
    expect(rec.of('task-spawn', 'tail')[0]!.at).toBeLessThan(rec.of('task-ready', 'db')[0]!.at);
  });

  it('runs a oneshot chain in order, each link after the previous one completed', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('migrate', 'sleep 0.2; echo migrated', { oneshot: true }, dir),
        task('seed', 'echo seeded', { oneshot: true, dependsOn: [dep('migrate', 'completed')] }, dir),
        task('api', ['sleep', '30'], { dependsOn: [dep('seed', 'completed')] }, dir),
      ]),
    );
    const result = await sup.up();
    expect(result.ok && result.value.started.sort()).toEqual(['api', 'migrate', 'seed']);
    const migrateDone = rec.events.findIndex((e) => e.type === 'task-state' && e.task === 'migrate' && e.state === 'completed');
    const seedSpawn = rec.events.findIndex((e) => e.type === 'task-spawn' && e.task === 'seed');
    const seedDone = rec.events.findIndex((e) => e.type === 'task-state' && e.task === 'seed' && e.state === 'completed');
    const apiSpawn = rec.events.findIndex((e) => e.type === 'task-spawn' && e.task === 'api');
    expect(migrateDone).toBeLessThan(seedSpawn);
    expect(seedDone).toBeLessThan(apiSpawn);
    expect(sup.status(['migrate'])[0]).toMatchObject({ state: 'completed', exitCode: 0 });
  });

  it('blocks the dependents of a failed oneshot while an independent branch runs', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('migrate', 'echo "no database" >&2; exit 3', { oneshot: true }, dir),
        task('api', ['sleep', '30'], { dependsOn: [dep('migrate', 'completed')] }, dir),
        task('web', ['sleep', '30'], { dependsOn: [dep('api')] }, dir),
        task('cache', ['sleep', '30'], {}, dir),
      ]),
    );
    const result = await sup.up();
    expect(result).toEqual({ ok: true, value: { started: ['cache'], failed: ['migrate'], blocked: ['api', 'web'] } });
    expect(rec.of('task-spawn', 'api')).toEqual([]);
    expect(rec.of('task-spawn', 'web')).toEqual([]);
    const blocked = rec.of('task-state', 'api').find((e) => e.state === 'blocked');
    expect(blocked?.failure).toEqual({ reason: 'dependency-failed', task: 'api', dependency: 'migrate' });
    const blockedWeb = rec.of('task-state', 'web').find((e) => e.state === 'blocked');
    expect(blockedWeb?.failure).toEqual({ reason: 'dependency-failed', task: 'web', dependency: 'api', how: 'blocked', root: 'migrate' });
    const failed = rec.of('task-state', 'migrate').find((e) => e.state === 'failed');
    expect(failed?.failure).toMatchObject({ reason: 'exited', code: 3, signal: null, lastLines: ['no database'] });
    expect(sup.status(['cache'])[0]?.state).toBe('ready');
  });

  it('does not release the dependents of a service that exited with code 0 before it was ready', async () => {
    const tcp = { kind: 'tcp' as const, host: undefined, port: 21032 };
    const { sup, rec } = make(
      stack((dir) => [
        task('db', 'echo "config error, giving up"; exit 0', { ready: tcp, restart: { maxRestarts: 1 } }, dir),
        task('api', 'echo started', { oneshot: true, dependsOn: [dep('db')] }, dir),
        task('cache', 'exit 0', { ready: tcp, restart: { policy: 'never' } }, dir),
      ]),
    );
    const result = await sup.up();
    expect(result).toEqual({ ok: true, value: { started: [], failed: ['db', 'cache'], blocked: ['api'] } });
    expect(rec.of('task-spawn', 'api')).toEqual([]);
    expect(rec.states('db')).not.toContain('completed');
    expect(rec.of('task-state', 'db').find((e) => e.state === 'backoff')?.failure).toMatchObject({ reason: 'exited', code: 0, beforeReady: 'tcp:21032' });
    expect(rec.of('task-state', 'db').find((e) => e.state === 'failed')?.failure).toMatchObject({
      reason: 'max-restarts',
      last: { reason: 'exited', code: 0, beforeReady: 'tcp:21032', lastLines: ['config error, giving up'] },
    });
    expect(rec.of('task-state', 'cache').find((e) => e.state === 'failed')?.failure).toMatchObject({ reason: 'exited', code: 0, beforeReady: 'tcp:21032' });
    expect(rec.of('task-state', 'api').find((e) => e.state === 'blocked')?.failure).toEqual({ reason: 'dependency-failed', task: 'api', dependency: 'db' });
  });

  it('completes a service without a ready strategy that exits 0: it was ready once spawned', async () => {
    const { sup, rec } = make(stack((dir) => [task('tool', 'exit 0', { restart: { policy: 'never' } }, dir), task('api', 'echo started', { oneshot: true, dependsOn: [dep('tool')] }, dir)]));
    const result = await sup.up();
    expect(result).toEqual({ ok: true, value: { started: ['tool', 'api'], failed: [], blocked: [] } });
    await rec.state('tool', 'completed');
    expect(rec.states('tool')).toEqual(['pending', 'starting', 'ready', 'completed']);
  });

  it('keeps autostart:false tasks idle until a selection pulls them in with their dependencies', async () => {
    const { sup } = make(
      stack((dir) => [
        task('tool', ['sleep', '30'], { autostart: false }, dir),
        task('admin', ['sleep', '30'], { autostart: false, dependsOn: [dep('tool')] }, dir),
        task('api', ['sleep', '30'], {}, dir),
      ]),
    );
    await sup.up();
    expect(sup.status().map((s) => [s.name, s.state])).toEqual([
      ['tool', 'idle'],
      ['admin', 'idle'],
      ['api', 'ready'],
    ]);
    const result = await sup.up(['admin']);
    expect(result.ok && result.value.started).toEqual(['tool', 'admin']);
  });

  it('returns a no-match failure and starts nothing when a pattern matches no task', async () => {
    const { sup, rec } = make(stack((dir) => [task('api', ['sleep', '30'], {}, dir)]));
    const result = await sup.up(['nope']);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.reason).toBe('no-match');
    expect(rec.of('task-spawn')).toEqual([]);
  });

  it('waits startDelay after the dependencies are satisfied', async () => {
    const { sup, rec } = make(
      stack((dir) => [
        task('db', ['sleep', '30'], {}, dir),
        task('api', ['sleep', '30'], { dependsOn: [dep('db')], startDelayMs: 300 }, dir),
      ]),
    );
    await sup.up();
    const gap = rec.of('task-spawn', 'api')[0]!.at - rec.of('task-ready', 'db')[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(290);
  });

  // db is ready only once the file `go` exists; api waits for it
  const gated = (into: { dir: string }, db = 'test -f go && echo up; exec sleep 30', web = false) =>
    stack((dir) => {
      into.dir = dir;
      return [
        task('db', db, { ready: logReady(/up/) }, dir),
        task('api', ['sleep', '30'], { dependsOn: [dep('db')] }, dir),
        ...(web ? [task('web', ['sleep', '30'], { dependsOn: [dep('api')] }, dir)] : []),
      ];
    });

  it('blocks a task waiting for a dependency stopped on request, so startup settles; a start of the task starts both', async () => {
    const where = { dir: '' };
    const { sup, rec } = make(gated(where, undefined, true));
    const up = sup.up();
    await rec.waitFor('task-spawn', (e) => e.task === 'db');
    await sup.stop(['db']);
    expect(await up).toEqual({ ok: true, value: { started: [], failed: [], blocked: ['api', 'web'] } });
    expect(rec.of('task-state', 'api').find((e) => e.state === 'blocked')?.failure).toEqual({ reason: 'dependency-stopped', task: 'api', dependency: 'db' });
    expect(sup.status().map((s) => [s.name, s.reason, s.message])).toEqual([
      ['db', null, null],
      ['api', 'dependency-stopped', 'not started because db was stopped'],
      ['web', 'dependency-stopped', 'not started because api is blocked (db was stopped)'],
    ]);
    expect(await sup.finished()).toBe(0);
    writeFileSync(join(where.dir, 'go'), '');
    // the dependencies it starts are acted on too
    expect(await sup.start(['web'])).toEqual({ ok: true, value: ['db', 'api', 'web'] });
    expect(sup.status().map((s) => [s.name, s.state])).toEqual([
      ['db', 'ready'],
      ['api', 'ready'],
      ['web', 'ready'],
    ]);
  });

  it('keeps a task waiting when its dependency is restarted during startup', async () => {
    const where = { dir: '' };
    const { sup, rec } = make(gated(where));
    const up = sup.up();
    await rec.waitFor('task-spawn', (e) => e.task === 'db');
    writeFileSync(join(where.dir, 'go'), '');
    expect(await sup.restart(['db'])).toEqual({ ok: true, value: ['db'] });
    expect(await up).toEqual({ ok: true, value: { started: ['db', 'api'], failed: [], blocked: [] } });
    expect(rec.states('api')).not.toContain('blocked');
  });

  it('keeps a task waiting when its dependency is started again while its stop runs', async () => {
    const where = { dir: '' };
    // its stop takes 0.3 s, so the start comes while it runs
    const { sup, rec } = make(gated(where, "trap 'sleep 0.3; exit 0' TERM; test -f go && echo up; while :; do sleep 0.1; done"));
    const up = sup.up();
    await rec.waitFor('task-spawn', (e) => e.task === 'db');
    writeFileSync(join(where.dir, 'go'), '');
    const stopped = sup.stop(['db']);
    await rec.state('db', 'stopping');
    expect(await sup.start(['db'])).toEqual({ ok: true, value: ['db'] });
    await stopped;
    expect(await up).toEqual({ ok: true, value: { started: ['db', 'api'], failed: [], blocked: [] } });
    expect(rec.states('api')).not.toContain('blocked');
  });

  it('keeps a task blocked once its failed dependency ran again, with a reason that says what the dependency is now', async () => {
    const where = { dir: '' };
    const { sup } = make(
      stack((dir) => {
        where.dir = dir;
        return [
          task('mig', 'test -f go || exit 3; echo migrated', { oneshot: true }, dir),
          task('api', ['sleep', '30'], { dependsOn: [dep('mig', 'completed')] }, dir),
          task('web', ['sleep', '30'], { dependsOn: [dep('api')] }, dir),
        ];
      }),
    );
    expect(await sup.up()).toEqual({ ok: true, value: { started: [], failed: ['mig'], blocked: ['api', 'web'] } });
    writeFileSync(join(where.dir, 'go'), '');
    expect(await sup.start(['mig'])).toEqual({ ok: true, value: ['mig'] });
    expect(sup.status().map((s) => [s.name, s.state, s.message])).toEqual([
      ['mig', 'completed', null],
      ['api', 'blocked', 'not started because mig failed; mig is completed now'],
      ['web', 'blocked', 'not started because api is blocked (mig failed); mig is completed now'],
    ]);
    expect(await sup.start(['web'])).toEqual({ ok: true, value: ['api', 'web'] });
    expect(sup.status().map((s) => s.state)).toEqual(['completed', 'ready', 'ready']);
  });
});
