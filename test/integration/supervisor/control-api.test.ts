import { describe, expect, it } from 'vitest';
import { dep, harness, stack, task } from './fixtures.js';

const make = harness();

describe('controlApi()', () => {
  it('resolves every action with a Result: the instances acted on, or no-match as data', async () => {
    const { sup } = make(stack((dir) => [task('api', ['sleep', '60'], { tags: ['backend'] }, dir), task('w', ['sleep', '61'], { replicas: 2 }, dir)]));
    await sup.up();
    const api = sup.controlApi();
    const noMatch = await api.stop(['nope']);
    expect(noMatch).toEqual({ ok: false, error: { reason: 'no-match', patterns: ['nope'], known: ['api', 'w:0', 'w:1'] } });
    expect(await api.restart(['api', 'nope'])).toMatchObject({ ok: false, error: { reason: 'no-match', patterns: ['nope'] } });
    expect(await api.kill(['nope'])).toMatchObject({ ok: false, error: { reason: 'no-match' } });
    expect(await api.stop(['w'])).toEqual({ ok: true, value: ['w:0', 'w:1'] });
    expect(await api.start(['w:1'])).toEqual({ ok: true, value: ['w:1'] });
    expect(await api.kill(['@backend'], 'SIGTERM')).toEqual({ ok: true, value: ['api'] });
  });

  it('counts the dependencies a start brings up among the tasks it acted on', async () => {
    const { sup } = make(stack((dir) => [task('db', ['sleep', '62'], {}, dir), task('api', ['sleep', '63'], { dependsOn: [dep('db')] }, dir)]));
    await sup.up();
    const api = sup.controlApi();
    expect(await api.stop(['db'])).toEqual({ ok: true, value: ['db'] });
    // api runs on; starting it starts db again
    expect(await api.start(['api'])).toEqual({ ok: true, value: ['db', 'api'] });
    expect(api.status().map((s) => `${s.name}:${s.state}`)).toEqual(['db:ready', 'api:ready']);
    expect(await api.start(['api'])).toEqual({ ok: true, value: ['api'] });
  });

  it('matches status(patterns) like the actions: names, replicas by task, tags; [] where an action says no-match', async () => {
    const { sup } = make(stack((dir) => [task('api', ['sleep', '60'], { tags: ['backend'] }, dir), task('w', ['sleep', '61'], { replicas: 2 }, dir)]));
    await sup.up();
    const api = sup.controlApi();
    expect(api.status().map((s) => s.name)).toEqual(['api', 'w:0', 'w:1']);
    expect(api.status([]).map((s) => s.name)).toEqual(['api', 'w:0', 'w:1']);
    expect(api.status(['w']).map((s) => s.name)).toEqual(['w:0', 'w:1']);
    expect(api.status(['w:1']).map((s) => s.name)).toEqual(['w:1']);
    expect(api.status(['@backend', 'w:0']).map((s) => s.name)).toEqual(['api', 'w:0']);
    expect(api.status(['/^a/']).map((s) => s.name)).toEqual(['api']);
    expect(api.status(['nope'])).toEqual([]);
    expect(api.status(['api', 'nope'])).toEqual([]);
  });

  it('streams events to subscribers until they unsubscribe', async () => {
    const { sup } = make(stack((dir) => [task('api', ['sleep', '60'], {}, dir)]));
    const api = sup.controlApi();
    const seen: string[] = [];
    const off = api.subscribe((event) => seen.push(event.type));
    await sup.up();
    off();
    const count = seen.length;
    await api.stop(['api']);
    expect(seen.length).toBe(count);
    expect(seen).toContain('task-ready');
  });
});
