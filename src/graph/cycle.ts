import type { TaskGraph } from './build.js';

const WHITE = 0;
const GREY = 1;
const BLACK = 2;

/**
 * The first dependency cycle, as the full trail (`['api', 'worker', 'api']`), or
 * undefined for a DAG. An iterative DFS with colours: O(V+E), visiting tasks and
 * their dependencies in config order, so the answer is deterministic.
 */
export function findCycle(graph: TaskGraph): string[] | undefined {
  const colour = new Map<string, number>();
  for (const root of graph.nodes()) {
    if ((colour.get(root) ?? WHITE) !== WHITE) continue;
    const trail = visit(graph, root, colour);
    if (trail !== undefined) return trail;
  }
  return undefined;
}

interface Frame {
  node: string;
  next: readonly string[];
  at: number;
}

function visit(graph: TaskGraph, root: string, colour: Map<string, number>): string[] | undefined {
  const stack: Frame[] = [{ node: root, next: graph.outNeighbors(root), at: 0 }];
  colour.set(root, GREY);
  for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
    const next = frame.next[frame.at++];
    if (next === undefined) {
      colour.set(frame.node, BLACK);
      stack.pop();
      continue;
    }
    const state = colour.get(next) ?? WHITE;
    if (state === GREY) {
      const from = stack.findIndex((f) => f.node === next);
      return [...stack.slice(from).map((f) => f.node), next];
    }
    if (state === WHITE) {
      colour.set(next, GREY);
      stack.push({ node: next, next: graph.outNeighbors(next), at: 0 });
    }
  }
  return undefined;
}
