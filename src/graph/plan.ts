import { DirectedGraph } from 'graphology';
import { hasCycle, topologicalGenerations } from 'graphology-dag';
import { inConfigOrder, type TaskGraph } from './build.js';

/**
 * Start waves: every task comes after all of its dependencies, as early as
 * possible; tasks within a wave are in config order. Restricted to `names` when
 * given (edges to tasks outside them are ignored). The graph must be acyclic —
 * config validation rejects cycles — so a cycle here is an internal error.
 */
export function startWaves(graph: TaskGraph, names?: Iterable<string>): string[][] {
  return generations(graph, names, 'dependencies-first');
}

/** Stop waves: every task comes after all of its dependents, as early as possible. */
export function stopWaves(graph: TaskGraph, names?: Iterable<string>): string[][] {
  return generations(graph, names, 'dependents-first');
}

function generations(graph: TaskGraph, names: Iterable<string> | undefined, order: 'dependencies-first' | 'dependents-first'): string[][] {
  const keep = names === undefined ? undefined : new Set(names);
  const included = graph.filterNodes((node) => keep === undefined || keep.has(node));
  // Kahn's algorithm releases nodes without incoming edges first. Our edges point
  // dependent → dependency, so dependents come first unless the edges are flipped.
  const flip = order === 'dependencies-first';
  const view = new DirectedGraph();
  for (const node of included) view.addNode(node);
  graph.forEachEdge((_edge, _attributes, source, target) => {
    if (!view.hasNode(source) || !view.hasNode(target) || source === target) return;
    if (flip) view.addDirectedEdge(target, source);
    else view.addDirectedEdge(source, target);
  });
  if (hasCycle(view) || included.some((node) => graph.hasDirectedEdge(node, node))) {
    throw new Error('internal error: task waves requested for a graph with a dependency cycle — please report');
  }
  return topologicalGenerations(view).map((wave) => inConfigOrder(graph, wave));
}

/** The tasks `name` depends on (all of them, recursively, when `transitive`), in config order. */
export function dependenciesOf(graph: TaskGraph, name: string, transitive = false): string[] {
  return reach(graph, name, transitive, (node) => graph.outNeighbors(node));
}

/** The tasks that depend on `name` (all of them, recursively, when `transitive`), in config order. */
export function dependentsOf(graph: TaskGraph, name: string, transitive = false): string[] {
  return reach(graph, name, transitive, (node) => graph.inNeighbors(node));
}

function reach(graph: TaskGraph, name: string, transitive: boolean, step: (node: string) => string[]): string[] {
  if (!graph.hasNode(name)) return [];
  const seen = new Set<string>();
  const queue = step(name);
  for (let i = 0; i < queue.length; i++) {
    const next = queue[i] ?? name;
    if (next === name || seen.has(next)) continue;
    seen.add(next);
    if (transitive) queue.push(...step(next));
  }
  return inConfigOrder(graph, seen);
}

/** `names` plus everything they depend on, transitively, in start order. Unknown names are ignored. */
export function withDependencies(graph: TaskGraph, names: Iterable<string>): string[] {
  const all = new Set<string>();
  for (const name of names) {
    if (!graph.hasNode(name)) continue;
    all.add(name);
    for (const dependency of dependenciesOf(graph, name, true)) all.add(dependency);
  }
  return startWaves(graph, all).flat();
}
