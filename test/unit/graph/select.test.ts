import { describe, expect, it } from 'vitest';
import { selectTasks } from '../../../src/graph/index.js';

const tasks = [
  { name: 'db', tags: ['infra'] },
  { name: 'api-users', tags: ['backend'] },
  { name: 'api-orders', tags: ['backend'] },
  { name: 'web', tags: ['frontend'] },
  { name: 'a.b', tags: [] },
];
const names = tasks.map((task) => task.name);

function select(...patterns: string[]) {
  return selectTasks(tasks, patterns);
}

describe('selectTasks', () => {
  it('selects exact names in the order of the tasks', () => {
    expect(select('web', 'db')).toEqual({ ok: true, value: ['db', 'web'] });
  });

  it('selects every task when given no patterns', () => {
    expect(select()).toEqual({ ok: true, value: names });
  });

  it('selects with globs: star, question mark and character classes', () => {
    expect(select('api-*')).toEqual({ ok: true, value: ['api-users', 'api-orders'] });
    expect(select('d?')).toEqual({ ok: true, value: ['db'] });
    expect(select('[dw]*')).toEqual({ ok: true, value: ['db', 'web'] });
    expect(select('[!a]*')).toEqual({ ok: true, value: ['db', 'web'] });
  });

  it('treats regex characters in a glob literally', () => {
    expect(select('a.*')).toEqual({ ok: true, value: ['a.b'] });
    expect(select('a?b')).toEqual({ ok: true, value: ['a.b'] });
    expect(select('ab*').ok).toBe(false);
  });

  it('selects by tag', () => {
    expect(select('@backend')).toEqual({ ok: true, value: ['api-users', 'api-orders'] });
    expect(select('@front*', '@infra')).toEqual({ ok: true, value: ['db', 'web'] });
  });

  it('selects by regex, with flags', () => {
    expect(select('/orders$/')).toEqual({ ok: true, value: ['api-orders'] });
    expect(select('/^WEB$/i')).toEqual({ ok: true, value: ['web'] });
    expect(select('/b/g')).toEqual({ ok: true, value: ['db', 'web', 'a.b'] });
  });

  it('reports a pattern that matches nothing, with every known name', () => {
    expect(select('web', 'wbe')).toEqual({ ok: false, error: { reason: 'no-match', patterns: ['wbe'], known: names } });
    expect(select('@nobody')).toEqual({ ok: false, error: { reason: 'no-match', patterns: ['@nobody'], known: names, tags: ['infra', 'backend', 'frontend'] } });
  });

  it('reports an invalid regex or glob range, and why, instead of throwing', () => {
    expect(select('/(/')).toEqual({
      ok: false,
      error: { reason: 'no-match', patterns: ['/(/'], known: names, invalid: [{ pattern: '/(/', why: 'Unterminated group' }] },
    });
    expect(select('/a/zz')).toMatchObject({ ok: false, error: { invalid: [{ pattern: '/a/zz', why: "Invalid flags supplied to RegExp constructor 'zz'" }] } });
    expect(select('[z-a]')).toMatchObject({ ok: false, error: { invalid: [{ pattern: '[z-a]', why: 'a range in it runs backwards, like [z-a]' }] } });
  });

  it('matches replica instances by their task name and by their own name', () => {
    const instances = [
      { name: 'api:0', tags: ['backend'] },
      { name: 'api:1', tags: ['backend'] },
      { name: 'db', tags: [] },
    ];
    expect(selectTasks(instances, ['api'])).toEqual({ ok: true, value: ['api:0', 'api:1'] });
    expect(selectTasks(instances, ['api:1'])).toEqual({ ok: true, value: ['api:1'] });
    expect(selectTasks(instances, ['a*'])).toEqual({ ok: true, value: ['api:0', 'api:1'] });
    expect(selectTasks(instances, ['api:2'])).toEqual({
      ok: false,
      error: { reason: 'no-match', patterns: ['api:2'], known: ['api:0', 'api:1', 'db'] },
    });
  });
});
