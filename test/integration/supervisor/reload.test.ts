import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StackSpec, TaskSpec } from '../../../src/core/model.js';
import type { Supervisor } from '../../../src/supervisor/supervisor.js';
import { findTagged, isAlive } from '../../helpers/procs.js';
import { dep, eventually, harness, leftovers, stack, task, WORKER_VAR, type Recorder } from './fixtures.js';

const make = harness();

/** The same stack folder and settings with other tasks: what a reload of an edited config gives. */
const edited = (base: StackSpec, tasks: (dir: string) => TaskSpec[]): StackSpec => ({ ...base, tasks: tasks(base.dir).map((t) => ({ ...t, env: base.tasks[0]?.env ?? {} })) });
const pidOf = (sup: { status(p?: string[]): { pid: number | null }[] }, name: string): number => sup.status([name])[0]?.pid ?? 0;

describe('reload()', () => {
  it('stops removed and changed tasks, starts new and changed ones, and leaves the rest running', async () => {
    const before = stack((dir) => [
      task('db', ['sleep', '401'], {}, dir),
      task('api', ['sleep', '402'], { dependsOn: [dep('db')] }, dir),
      task('old', ['sleep', '403'], {}, dir),
    ]);
    const { sup } = make(before);
    await sup.up();
    const [db, api, old] = [pidOf(sup, 'db'), pidOf(sup, 'api'), pidOf(sup, 'old')];
    const after = edited(before, (dir) => [
      task('db', ['sleep', '401'], {}, dir),
      task('api', ['sleep', '404'], { dependsOn: [dep('db')] }, dir),
      task('added', ['sleep', '405'], { dependsOn: [dep('api')] }, dir),
      task('lazy', ['sleep', '406'], { autostart: false }, dir),
    ]);
    const result = await sup.reload(after);
    expect(result).toEqual({
      ok: true,
      value: { added: ['added', 'lazy'], removed: ['old'], changed: ['api'], unchanged: ['db'], started: ['api', 'added'], followed: [], pulledIn: [], notApplied: [] },
    });
    expect(sup.status().map((row) => [row.name, row.state])).toEqual([
      ['db', 'ready'],
      ['api', 'ready'],
      ['added', 'ready'],
      ['lazy', 'idle'],
    ]);
    expect(pidOf(sup, 'db')).toBe(db);
    expect(pidOf(sup, 'api')).not.toBe(api);
    expect([api, old].filter(isAlive)).toEqual([]);
    await sup.down();
    expect(leftovers('sleep 40')).toEqual([]);
  });

  it('changes nothing for the same config loaded again (new function objects, same code)', async () => {
    const hooked = (dir: string): TaskSpec[] => [task('svc', ['sleep', '407'], { hooks: { onExit: () => undefined } }, dir)];
    const before = stack(hooked);
    const { sup } = make(before);
    await sup.up();
    const pid = pidOf(sup, 'svc');
    const result = await sup.reload(edited(before, hooked));
    expect(result).toEqual({ ok: true, value: { added: [], removed: [], changed: [], unchanged: ['svc'], started: [], followed: [], pulledIn: [], notApplied: [] } });
    expect(pidOf(sup, 'svc')).toBe(pid);
    await sup.down();
    expect(leftovers('sleep 407')).toEqual([]);
  });

  it('does not start a changed task that was stopped, and keeps the stack alive through the reload', async () => {
    const before = stack((dir) => [task('a', ['sleep', '408'], {}, dir), task('b', ['sleep', '409'], {}, dir)]);
    const { sup } = make(before);
    await sup.up();
    await sup.stop(['b']);
    let finished = false;
    void sup.finished().then(() => (finished = true));
    const result = await sup.reload(edited(before, (dir) => [task('a', ['sleep', '410'], {}, dir), task('b', ['sleep', '411'], {}, dir)]));
    expect(result.ok && result.value.started).toEqual(['a']);
    expect(sup.status().map((row) => [row.name, row.state])).toEqual([
      ['a', 'ready'],
      ['b', 'idle'],
    ]);
    expect(finished).toBe(false);
    await sup.down();
    expect(leftovers('sleep 4')).toEqual([]);
  });

  it('restarts unchanged dependents declared with restart: true, and starts a stopped task a new one needs', async () => {
    const before = stack((dir) => [
      task('db', ['sleep', '412'], {}, dir),
      task('api', ['sleep', '413'], { dependsOn: [dep('db', 'ready', true)] }, dir),
      task('cache', ['sleep', '414'], {}, dir),
    ]);
    const { sup } = make(before);
    await sup.up();
    await sup.stop(['cache']);
    const api = pidOf(sup, 'api');
    const result = await sup.reload(
      edited(before, (dir) => [
        task('db', ['sleep', '415'], {}, dir),
        task('api', ['sleep', '413'], { dependsOn: [dep('db', 'ready', true)] }, dir),
        task('cache', ['sleep', '414'], {}, dir),
        task('web', ['sleep', '416'], { dependsOn: [dep('cache')] }, dir),
      ]),
    );
    expect(result.ok && result.value).toMatchObject({ changed: ['db'], started: ['db', 'web'], followed: ['api'], pulledIn: ['cache'] });
    expect(sup.status().map((row) => [row.name, row.state])).toEqual([
      ['db', 'ready'],
      ['api', 'ready'],
      ['cache', 'ready'],
      ['web', 'ready'],
    ]);
    expect(pidOf(sup, 'api')).not.toBe(api);
    await sup.down();
    expect(leftovers('sleep 41')).toEqual([]);
  });

  it('applies two reloads one after the other: the second sees what the first left, and nothing runs untracked', async () => {
    const slowStop = { stop: { timeoutMs: 5000 } };
    const stubborn = (script: string) => (dir: string): TaskSpec[] => [task('s', `trap 'sleep 0.5; exit 0' TERM; ${script}; while :; do sleep 0.1; done`, slowStop, dir)];
    const before = stack(stubborn('echo v1'));
    const { sup } = make(before);
    await sup.up();
    const first = sup.reload(edited(before, stubborn('echo v2')));
    const second = sup.reload(edited(before, (dir) => [...stubborn('echo v1')(dir), task('z', ['sleep', '417'], {}, dir)]));
    const [a, b] = await Promise.all([first, second]);
    expect(a.ok && a.value.changed).toEqual(['s']);
    expect(b.ok && b.value).toMatchObject({ changed: ['s'], added: ['z'] });
    expect(sup.status().map((row) => [row.name, row.state])).toEqual([
      ['s', 'ready'],
      ['z', 'ready'],
    ]);
    await sup.down();
    expect(leftovers('sleep 417')).toEqual([]);
  });
  describe('racing a restart of a task it changes or removes', () => {
    // Each task leaves its TERM trap only once the test creates its file: the test decides
    // which stop ends first (the restart's, then the reload's), whatever the machine's speed.
    const held = (name: string, marker: string, gate: string, dir: string): TaskSpec =>
      task(name, `trap 'while [ ! -e ${gate} ]; do sleep 0.02; done; exit 0' TERM; ${marker}; while :; do sleep 0.05; done`, { stop: { timeoutMs: 8000 } }, dir);
    const tasks = (api: string | undefined, other: string) => (dir: string): TaskSpec[] => [
      ...(api === undefined ? [] : [held('api', api, 'api.go', dir)]),
      held('other', other, 'other.go', dir),
    ];

    async function raceReload(after: (base: StackSpec) => StackSpec): Promise<{ sup: Supervisor; rec: Recorder; dir: string }> {
      const before = stack(tasks(': api-1', ': other-1'));
      const { sup, rec } = make(before);
      await sup.up();
      const restart = sup.restart(['api']);
      await rec.state('api', 'stopping');
      const reload = sup.reload(after(before));
      await rec.state('other', 'stopping');
      // the restart's stop ends first: its start comes while the reload still waits for `other`
      writeFileSync(join(before.dir, 'api.go'), '');
      await restart;
      writeFileSync(join(before.dir, 'other.go'), '');
      expect((await reload).ok).toBe(true);
      return { sup, rec, dir: before.dir };
    }

    it('a removed task is not left running untracked', async () => {
      const { sup } = await raceReload((base) => edited(base, tasks(undefined, ': other-2')));
      expect(sup.status().map((row) => [row.name, row.state])).toEqual([['other', 'ready']]);
      expect(await eventually(() => leftovers('/bin/sh -c trap').length === 1)).toBe(true);
      await sup.down();
    });

    it('a changed task runs once, as its new version', async () => {
      const { sup } = await raceReload((base) => edited(base, tasks(': api-2', ': other-2')));
      expect(sup.status().map((row) => [row.name, row.state])).toEqual([
        ['api', 'ready'],
        ['other', 'ready'],
      ]);
      const apis = (): number => findTagged(String(process.pid), WORKER_VAR).filter((p) => !p.zombie && p.cmdline.includes(': api-')).length;
      expect(await eventually(() => apis() === 1)).toBe(true);
      expect(findTagged(String(process.pid), WORKER_VAR).filter((p) => p.cmdline.includes(': api-1'))).toEqual([]);
      await sup.down();
    });
  });
});
