/** Pure DAG logic over the tasks: build, cycle trail, plans, selection, exports. No I/O. */
export { buildGraph, graphOfStack, type GraphTask, type TaskGraph, type TaskNodeAttributes, type DependencyEdgeAttributes } from './build.js';
export { findCycle } from './cycle.js';
export { startWaves, stopWaves, dependenciesOf, dependentsOf, withDependencies } from './plan.js';
export { selectTasks, type SelectableTask } from './select.js';
export { toDot, type DotOptions } from './dot.js';
export { toMermaid } from './mermaid.js';
export { toJson, type GraphJson, type GraphJsonNode, type GraphJsonEdge } from './json.js';
