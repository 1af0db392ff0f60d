/**
 * Every ready strategy gates a dependent through the real engine: the dependent
 * starts only after the marker of readiness exists. Each dependency records the
 * time (ms) just before it creates its marker; the dependent records its own start.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReadySpec } from '../../../src/core/ready-spec.js';
import type { PluginSpec, TaskSpec } from '../../../src/core/model.js';
import { dep, freePort, harness, logReady, node, now, serverScript, stack, stamp, stampSoon, task } from './helpers.js';

const make = harness();

interface Case {
  ready: ReadySpec;
  /** The dependency's command: waits a little, writes `marker.at`, then creates the marker. */
  command: string | string[];
  plugins?: PluginSpec[];
}

const flagFile = (name: string): ReadySpec => ({ kind: 'file', path: name });
const sh = (marker: string): string => `sleep 0.2; ${now('marker.at')}; ${marker}; exec sleep 60`;

const cases: Record<string, (dir: string, port: number) => Case> = {
  log: () => ({ ready: logReady(/listening on \d+/), command: sh('echo "listening on 8080"') }),
  tcp: (dir, port) => ({ ready: { kind: 'tcp', host: '127.0.0.1', port }, command: node(serverScript('tcp', port, 200, join(dir, 'marker.at'))) }),
  http: (dir, port) => ({
    ready: { kind: 'http', url: `http://127.0.0.1:${port}/`, status: 200, method: 'GET', headers: {}, timeout: '500ms' },
    command: node(serverScript('http', port, 200, join(dir, 'marker.at'))),
  }),
  file: () => ({ ready: flagFile('ready.flag'), command: sh('touch ready.flag') }),
  pipe: () => ({ ready: { kind: 'pipe' }, command: sh('echo ready > "$IGNITE_READY_PIPE"') }),
  command: () => ({ ready: { kind: 'command', command: 'test -f ready.flag', timeout: '1s' }, command: sh('touch ready.flag') }),
  notify: () => ({ ready: { kind: 'notify' }, command: sh('echo READY >&"$IGNITE_NOTIFY_FD"') }),
  function: (dir) => ({
    ready: { kind: 'function', fn: () => existsSync(join(dir, 'ready.flag')), label: 'flag' },
    command: sh('touch ready.flag'),
  }),
  plugin: () => ({
    ready: { kind: 'plugin', name: 'flag', params: { file: 'ready.flag' } },
    command: sh('touch ready.flag'),
    plugins: [
      {
        name: 'flags',
        readyStrategies: { flag: (params, ctx) => existsSync(join(ctx.cwd, (params as { file: string }).file)) },
        hooks: {},
        statsHandlers: [],
        controlServers: [],
      },
    ],
  }),
  // all: the file comes first, the log line (the later marker) last
  all: () => ({
    ready: { kind: 'all', strategies: [flagFile('first.flag'), logReady(/second marker/)] },
    command: `sleep 0.1; touch first.flag; sleep 0.15; ${now('marker.at')}; echo "second marker"; exec sleep 60`,
  }),
  // any: a file that never appears, or the log line
  any: () => ({
    ready: { kind: 'any', strategies: [flagFile('never.flag'), logReady(/second marker/)] },
    command: sh('echo "second marker"'),
  }),
};

describe('every ready strategy gates its dependents', () => {
  it.each(Object.keys(cases))('starts a dependent only after the %s marker exists', async (name) => {
    const port = await freePort();
    let made: Case | undefined;
    const spec = stack(
      (dir): TaskSpec[] => {
        made = cases[name]!(dir, port);
        return [
          task('svc', made.command, { ready: made.ready, readyTimeoutMs: 5000 }, dir),
          task('after', `${now('after.at')}; exec sleep 60`, { dependsOn: [dep('svc')] }, dir),
        ];
      },
    );
    if (made?.plugins !== undefined) spec.plugins = made.plugins;
    const { sup, rec } = make(spec);
    const up = await sup.up();
    expect(up).toMatchObject({ ok: true, value: { failed: [], blocked: [] } });
    const ready = rec.of('task-ready', 'svc')[0]!;
    const spawned = rec.of('task-spawn', 'after')[0]!;
    expect(spawned.at).toBeGreaterThanOrEqual(ready.at);
    expect(await stampSoon(spec.dir, 'after.at')).toBeGreaterThanOrEqual(stamp(spec.dir, 'marker.at'));
    expect(sup.status().map((s) => s.state)).toEqual(['ready', 'ready']);
  });

  it('starts a dependent only after a delay strategy has elapsed since the spawn', async () => {
    const spec = stack((dir) => [
      task('svc', ['sleep', '60'], { ready: { kind: 'delay', duration: '300ms' } }, dir),
      task('after', `${now('after.at')}; exec sleep 60`, { dependsOn: [dep('svc')] }, dir),
    ]);
    const { sup, rec } = make(spec);
    await sup.up();
    const svcSpawn = rec.of('task-spawn', 'svc')[0]!;
    expect(await stampSoon(spec.dir, 'after.at')).toBeGreaterThanOrEqual(svcSpawn.at + 300);
    expect(rec.of('task-spawn', 'after')[0]!.at).toBeGreaterThanOrEqual(rec.of('task-ready', 'svc')[0]!.at);
  });
});
