import type { DependencyCondition, StackSpec } from '../core/model.js';
import { describeReady } from '../core/ready-spec.js';
import { graphOfStack } from './build.js';
import { findCycle } from './cycle.js';
import { startWaves } from './plan.js';

export interface GraphJsonNode {
  name: string;
  description: string | null;
  oneshot: boolean;
  /** `describeReady` label: `tcp:5432`, `log:/listening/`, `spawned`. */
  ready: string;
  tags: string[];
  autostart: boolean;
  replicas: number;
}

export interface GraphJsonEdge {
  /** The dependent task. */
  from: string;
  /** The task it depends on. */
  to: string;
  condition: DependencyCondition;
  restart: boolean;
}

export interface GraphJson {
  nodes: GraphJsonNode[];
  edges: GraphJsonEdge[];
  /** Start waves, dependencies first; empty if the graph has a cycle. */
  waves: string[][];
}

export function toJson(stack: StackSpec): GraphJson {
  const graph = graphOfStack(stack);
  const nodes = stack.tasks.map((task) => ({
    name: task.name,
    description: task.description ?? null,
    oneshot: task.oneshot,
    ready: describeReady(task.ready),
    tags: [...task.tags],
    autostart: task.autostart,
    replicas: task.replicas,
  }));
  const edges = graph.mapEdges((_edge, attributes, from, to) => ({ from, to, condition: attributes.condition, restart: attributes.restart }));
  return { nodes, edges, waves: findCycle(graph) === undefined ? startWaves(graph) : [] };
}
