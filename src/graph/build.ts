import { DirectedGraph } from 'graphology';
import type { DependencyCondition, StackSpec } from '../core/model.js';

/** What the graph needs to know about a task: its name, its dependencies and (for selection) its tags. */
export interface GraphTask {
  name: string;
  dependsOn: readonly { task: string; condition: DependencyCondition; restart: boolean }[];
  tags?: readonly string[];
}

export interface TaskNodeAttributes {
  /** Position in the config; waves and lists are ordered by it. */
  index: number;
  tags: readonly string[];
}

export interface DependencyEdgeAttributes {
  condition: DependencyCondition;
  restart: boolean;
}

/** Node = task name; edge dependent → dependency. */
export type TaskGraph = DirectedGraph<TaskNodeAttributes, DependencyEdgeAttributes>;

/**
 * Builds the dependency graph in config order. Dependencies on unknown tasks are
 * skipped (config rules report them); a repeated dependency keeps its first entry.
 */
export function buildGraph(tasks: readonly GraphTask[]): TaskGraph {
  const graph: TaskGraph = new DirectedGraph<TaskNodeAttributes, DependencyEdgeAttributes>();
  tasks.forEach((task, index) => {
    if (!graph.hasNode(task.name)) graph.addNode(task.name, { index, tags: task.tags ?? [] });
  });
  for (const task of tasks) {
    for (const dependency of task.dependsOn) {
      if (!graph.hasNode(dependency.task) || graph.hasDirectedEdge(task.name, dependency.task)) continue;
      graph.addDirectedEdge(task.name, dependency.task, { condition: dependency.condition, restart: dependency.restart });
    }
  }
  return graph;
}

export function graphOfStack(stack: StackSpec): TaskGraph {
  return buildGraph(stack.tasks);
}

/** Sorts names by their position in the config (unknown names last, in the order given). */
export function inConfigOrder(graph: TaskGraph, names: Iterable<string>): string[] {
  const position = (name: string): number =>
    graph.hasNode(name) ? graph.getNodeAttribute(name, 'index') : Number.MAX_SAFE_INTEGER;
  return [...names].sort((a, b) => position(a) - position(b));
}
