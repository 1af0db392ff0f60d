import { describe, expect, it } from 'vitest';
import type { HookContext, HookName, PluginSpec, TaskHooks } from '../../../src/core/model.js';
import { isAlive } from '../../helpers/procs.js';
import { dep, eventually, harness, has, logReady, stack, task } from './helpers.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const make = harness();

describe('replicas', () => {
  it('supervises w:0 and w:1 each on its own: killing one restarts only it', async () => {
    const spec = stack((dir) => [
      task('w', 'echo "$IGNITE_REPLICA $IGNITE_TASK" > "rep-$IGNITE_REPLICA"; exec sleep 60', { replicas: 2 }, dir),
    ]);
    const { sup, rec } = make(spec);
    await sup.up();
    expect(sup.status().map((s) => [s.name, s.task, s.state])).toEqual([
      ['w:0', 'w', 'ready'],
      ['w:1', 'w', 'ready'],
    ]);
    const line = (n: number): string => (has(spec.dir, `rep-${n}`) ? readFileSync(join(spec.dir, `rep-${n}`), 'utf8').trim() : '');
    expect(await eventually(() => line(0) !== '' && line(1) !== '')).toBe(true);
    expect([line(0), line(1)]).toEqual(['0 w:0', '1 w:1']);
    const [first, second] = sup.status();
    expect(await sup.kill(['w:0'])).toEqual({ ok: true, value: ['w:0'] });
    await rec.waitFor('task-spawn', (e) => e.task === 'w:0' && e.attempt === 2);
    await rec.state('w:0', 'ready');
    expect(isAlive(first!.pid!)).toBe(false);
    expect(sup.status()[0]!.pid).not.toBe(first!.pid);
    expect(sup.status()[1]).toMatchObject({ pid: second!.pid, state: 'ready', restarts: 0 });
    expect(rec.of('task-spawn', 'w:1')).toHaveLength(1);
    expect(rec.of('task-exit').map((e) => e.task)).toEqual(['w:0']);
  });

  it('selects every replica by the task name', async () => {
    const { sup } = make(stack((dir) => [task('w', ['sleep', '60'], { replicas: 3 }, dir)]));
    await sup.up();
    expect(await sup.stop(['w'])).toEqual({ ok: true, value: ['w:0', 'w:1', 'w:2'] });
    expect(sup.status(['w']).map((s) => s.state)).toEqual(['stopped', 'stopped', 'stopped']);
  });
});

const NAMES: HookName[] = ['preStart', 'postStart', 'onReady', 'onExit', 'onRestart'];

function recordingHooks(owner: string, seen: { who: string; ctx: HookContext }[]): TaskHooks {
  return Object.fromEntries(NAMES.map((name) => [name, (ctx: HookContext) => void seen.push({ who: `${owner}.${name}`, ctx })]));
}

function plugin(name: string, hooks: TaskHooks): PluginSpec {
  return { name, readyStrategies: {}, hooks, statsHandlers: [], controlServers: [] };
}

describe('hooks', () => {
  it('calls preStart, postStart, onReady, onExit and onRestart in order with a HookContext, plugins after the task', async () => {
    const seen: { who: string; ctx: HookContext }[] = [];
    const spec = stack(
      (dir) => [task('svc', 'echo up; exec sleep 60', { ready: logReady(/up/), hooks: recordingHooks('task', seen) }, dir)],
      { plugins: [plugin('p', recordingHooks('p', seen))] },
    );
    const { sup, rec } = make(spec);
    await sup.up();
    const pid = sup.status()[0]!.pid!;
    await sup.kill(['svc'], 'SIGKILL');
    await rec.waitFor('task-ready', (e) => e.task === 'svc' && rec.of('task-ready', 'svc').length === 2);
    expect(await eventually(() => seen.length >= 16)).toBe(true);
    const order = NAMES.flatMap((n) => [`task.${n}`, `p.${n}`]);
    expect(seen.map((s) => s.who)).toEqual([...order, 'task.preStart', 'p.preStart', 'task.postStart', 'p.postStart', 'task.onReady', 'p.onReady']);
    const ctx = (who: string, index = 0): HookContext => seen.filter((s) => s.who === who)[index]!.ctx;
    expect(ctx('task.postStart')).toMatchObject({ task: 'svc', baseName: 'svc', replica: 0, pid, attempt: 1, cwd: spec.dir });
    expect(ctx('task.postStart').env.IGNITE_TASK).toBe('svc');
    expect(ctx('task.postStart').signal).toBeInstanceOf(AbortSignal);
    expect(ctx('task.onExit')).toMatchObject({ pid, attempt: 1, exitCode: null, exitSignal: 'SIGKILL' });
    expect(ctx('p.onRestart')).toMatchObject({ exitCode: null, exitSignal: 'SIGKILL' });
    expect(ctx('task.preStart', 1)).toMatchObject({ attempt: 2, pid: undefined });
    expect(ctx('task.onReady', 1).pid).toBe(sup.status()[0]!.pid);
  });

  it('gives every hook the environment the process gets, as a copy a hook cannot change for the task', async () => {
    const seen: { who: string; env: Record<string, string> }[] = [];
    const keep = (who: string) => (ctx: HookContext): Promise<void> => {
      seen.push({ who, env: { ...ctx.env } });
      return Promise.resolve();
    };
    const hooks: TaskHooks = {
      preStart: (ctx) => {
        seen.push({ who: 'preStart', env: { ...ctx.env } });
        const env = ctx.env as Record<string, string>;
        env.X = String(Number(env.X) + 1);
        return Promise.resolve();
      },
      postStart: keep('postStart'),
      // ready, then ended by this hook: each attempt runs every hook
      onReady: (ctx) => {
        seen.push({ who: 'onReady', env: { ...ctx.env } });
        if (ctx.pid !== undefined) process.kill(ctx.pid, 'SIGTERM');
        return Promise.resolve();
      },
      onExit: keep('onExit'),
      onRestart: keep('onRestart'),
    };
    const { sup, rec } = make(
      stack((dir) => [task('svc', 'echo "x=$X"; echo ready > "$IGNITE_READY_PIPE"; exec sleep 61', { env: { X: '1' }, ready: { kind: 'pipe' }, restart: { maxRestarts: 2, backoffMs: 10 }, hooks }, dir)]),
    );
    await sup.up();
    await rec.state('svc', 'failed');
    expect(await eventually(() => seen.filter((s) => s.who === 'onExit').length === 3)).toBe(true);
    expect(rec.of('task-output', 'svc').flatMap((e) => e.lines)).toEqual(['x=1', 'x=1', 'x=1']);
    expect(new Set(seen.map((s) => s.who))).toEqual(new Set(NAMES));
    for (const { who, env } of seen) {
      expect({ who, X: env.X, task: env.IGNITE_TASK, path: env.PATH, pipe: typeof env.IGNITE_READY_PIPE }).toEqual({ who, X: '1', task: 'svc', path: process.env.PATH, pipe: 'string' });
    }
    const preStarts = seen.filter((s) => s.who === 'preStart');
    expect(preStarts.map((s) => s.env.IGNITE_ATTEMPT)).toEqual(['1', '2', '3']);
  });

  it('fails the attempt when preStart throws: nothing is spawned and the policy applies', async () => {
    let calls = 0;
    const { sup, rec } = make(
      stack((dir) => [
        task('svc', ['sleep', '60'], {
          restart: { maxRestarts: 1, backoffMs: 10 },
          hooks: {
            preStart: () => {
              calls++;
              return Promise.reject(new Error('config missing'));
            },
          },
        }, dir),
        task('after', ['sleep', '60'], { dependsOn: [dep('svc')] }, dir),
      ]),
    );
    const up = await sup.up();
    expect(up).toMatchObject({ ok: true, value: { failed: ['svc'], blocked: ['after'] } });
    expect(calls).toBe(2);
    expect(rec.of('task-spawn')).toEqual([]);
    expect(rec.of('task-state', 'svc').at(-1)?.failure).toMatchObject({
      reason: 'max-restarts',
      last: { reason: 'hook-error', hook: 'preStart', message: 'config missing' },
    });
  });

  it('reports a throwing onReady (task or plugin) as a task-warning and carries on', async () => {
    const boom = (): never => {
      throw new Error('ready hook broke');
    };
    const { sup, rec } = make(
      stack(
        (dir) => [
          task('svc', ['sleep', '60'], { hooks: { onReady: boom } }, dir),
          task('after', ['sleep', '60'], { dependsOn: [dep('svc')] }, dir),
        ],
        { plugins: [plugin('p', { onReady: boom })] },
      ),
    );
    const up = await sup.up();
    expect(up).toMatchObject({ ok: true, value: { started: ['svc', 'after'], failed: [] } });
    await rec.waitFor('task-warning', (e) => e.message.includes('p.onReady'));
    const warnings = rec.of('task-warning', 'svc').map((e) => e.message);
    expect(warnings).toEqual(['onReady hook failed: ready hook broke', 'p.onReady hook failed: ready hook broke']);
    expect(sup.status().map((s) => s.state)).toEqual(['ready', 'ready']);
  });
});
