import { describe, expect, it } from 'vitest';
import {
  buildGraph,
  dependenciesOf,
  dependentsOf,
  findCycle,
  startWaves,
  stopWaves,
  withDependencies,
  type GraphTask,
} from '../../../src/graph/index.js';

const on = (...names: string[]): GraphTask['dependsOn'] => names.map((task) => ({ task, condition: 'ready' as const, restart: false }));
const graphOf = (spec: Record<string, string[]>) =>
  buildGraph(Object.entries(spec).map(([name, deps]) => ({ name, dependsOn: on(...deps) })));

describe('findCycle', () => {
  it('returns the full trail of a two-task cycle', () => {
    expect(findCycle(graphOf({ api: ['worker'], worker: ['api'] }))).toEqual(['api', 'worker', 'api']);
  });

  it('returns the full trail of a three-task cycle reached from outside it', () => {
    const graph = graphOf({ web: ['a'], a: ['b'], b: ['c'], c: ['a'] });
    expect(findCycle(graph)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('reports a task that depends on itself', () => {
    expect(findCycle(graphOf({ db: [], api: ['api'] }))).toEqual(['api', 'api']);
  });

  it('finds no cycle in a diamond', () => {
    expect(findCycle(graphOf({ app: ['left', 'right'], left: ['db'], right: ['db'], db: [] }))).toBeUndefined();
  });

  it('handles a long chain without recursion limits', () => {
    const spec: Record<string, string[]> = {};
    for (let i = 0; i < 5000; i++) spec[`t${i}`] = i === 0 ? [] : [`t${i - 1}`];
    expect(findCycle(graphOf(spec))).toBeUndefined();
  });
});

describe('buildGraph', () => {
  it('skips unknown dependencies and keeps edge attributes', () => {
    const graph = buildGraph([
      { name: 'db', dependsOn: [] },
      { name: 'api', dependsOn: [{ task: 'db', condition: 'started', restart: true }, ...on('ghost')] },
    ]);
    expect(graph.order).toBe(2);
    expect(graph.size).toBe(1);
    expect(graph.getDirectedEdgeAttributes('api', 'db')).toEqual({ condition: 'started', restart: true });
  });
});

describe('waves', () => {
  const graph = graphOf({ api: ['db', 'cache'], web: ['api'], db: [], cache: [], docs: [] });

  it('starts dependencies first, each task as early as possible, in config order within a wave', () => {
    expect(startWaves(graph)).toEqual([['db', 'cache', 'docs'], ['api'], ['web']]);
  });

  it('stops dependents first, each task as soon as its dependents are gone', () => {
    expect(stopWaves(graph)).toEqual([['web', 'docs'], ['api'], ['db', 'cache']]);
  });

  it('restricts waves to the given names', () => {
    expect(startWaves(graph, ['web', 'db', 'nope'])).toEqual([['web', 'db']]);
    expect(stopWaves(graph, ['api', 'db'])).toEqual([['api'], ['db']]);
  });

  it('refuses a cyclic graph with an internal error rather than a wrong order', () => {
    expect(() => startWaves(graphOf({ a: ['b'], b: ['a'] }))).toThrow(/cycle/);
  });
});

describe('dependencies and dependents', () => {
  const graph = graphOf({ db: [], cache: [], api: ['db', 'cache'], worker: ['api'], web: ['worker'] });

  it('lists direct and transitive dependencies in config order', () => {
    expect(dependenciesOf(graph, 'worker')).toEqual(['api']);
    expect(dependenciesOf(graph, 'web', true)).toEqual(['db', 'cache', 'api', 'worker']);
  });

  it('lists direct and transitive dependents in config order', () => {
    expect(dependentsOf(graph, 'db')).toEqual(['api']);
    expect(dependentsOf(graph, 'db', true)).toEqual(['api', 'worker', 'web']);
  });

  it('answers an empty list for an unknown task', () => {
    expect(dependenciesOf(graph, 'ghost', true)).toEqual([]);
    expect(dependentsOf(graph, 'ghost')).toEqual([]);
  });

  it('adds every transitive dependency to a selection, in start order', () => {
    expect(withDependencies(graph, ['worker'])).toEqual(['db', 'cache', 'api', 'worker']);
    expect(withDependencies(graph, ['cache', 'ghost'])).toEqual(['cache']);
  });
});
