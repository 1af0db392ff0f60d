import type { StackSpec, TaskSpec } from '../core/model.js';
import { describeReady } from '../core/ready-spec.js';
import type { DependencyEdgeAttributes } from './build.js';
import { taskDetails, taskTitle } from './describe.js';
import { CATEGORY_STYLES, readyCategory, usedCategories } from './style.js';

export interface DotOptions {
  /** Adds tooltips (command, readiness, restart policy, stop) and the ready strategy in each label. */
  detailed: boolean;
}

/**
 * Graphviz DOT text for a stack. Edges point from a task to what it depends on;
 * `ready` edges are unlabelled, `started`/`completed` edges carry their condition,
 * and `restart: true` edges are bold and say "restart". Oneshot tasks are dashed.
 */
export function toDot(stack: StackSpec, options: DotOptions): string {
  const names = new Set(stack.tasks.map((task) => task.name));
  const lines = [
    'digraph ignite {',
    '  graph [fontname="Helvetica"];',
    '  node [fontname="Helvetica", shape=box, style="rounded,filled"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const task of stack.tasks) lines.push(`  ${quote(task.name)} [${attributes(nodeAttributes(task, options))}];`);
  for (const task of stack.tasks) {
    for (const dependency of task.dependsOn) {
      if (!names.has(dependency.task)) continue;
      const edge = edgeAttributes(dependency);
      const suffix = edge.length === 0 ? '' : ` [${attributes(edge)}]`;
      lines.push(`  ${quote(task.name)} -> ${quote(dependency.task)}${suffix};`);
    }
  }
  lines.push(...legend(stack.tasks), '}', '');
  return lines.join('\n');
}

type Attribute = readonly [key: string, value: string];

function nodeAttributes(task: TaskSpec, options: DotOptions): Attribute[] {
  const label = [taskTitle(task)];
  if (task.description !== undefined && task.description !== '') label.push(task.description);
  const details = options.detailed ? taskDetails(task) : [];
  if (options.detailed) label.push(`ready: ${describeReady(task.ready)}`);
  const result: Attribute[] = [
    ['label', label.join('\n')],
    ['fillcolor', CATEGORY_STYLES[readyCategory(task.ready)].fill],
  ];
  if (task.oneshot) result.push(['style', 'rounded,filled,dashed']);
  if (options.detailed) result.push(['tooltip', details.join('\n')]);
  return result;
}

function edgeAttributes(dependency: DependencyEdgeAttributes): Attribute[] {
  const words: string[] = dependency.condition === 'ready' ? [] : [dependency.condition];
  if (dependency.restart) words.push('restart');
  const result: Attribute[] = words.length === 0 ? [] : [['label', words.join(', ')]];
  if (dependency.restart) result.push(['style', 'bold']);
  return result;
}

function legend(tasks: readonly TaskSpec[]): string[] {
  const lines = [
    '  subgraph cluster_legend {',
    '    label="ready strategy"; fontsize=10; style="rounded"; color="grey";',
    '    node [fontsize=10];',
  ];
  for (const category of usedCategories(tasks.map((task) => task.ready))) {
    const style = CATEGORY_STYLES[category];
    lines.push(`    ${quote(`legend:${category}`)} [${attributes([['label', style.label], ['fillcolor', style.fill]])}];`);
  }
  if (tasks.some((task) => task.oneshot)) {
    lines.push(`    ${quote('legend:oneshot')} [label="oneshot", fillcolor="white", style="rounded,filled,dashed"];`);
  }
  lines.push('  }');
  return lines;
}

function attributes(list: readonly Attribute[]): string {
  return list.map(([key, value]) => `${key}=${quote(value)}`).join(', ');
}

/**
 * A DOT double-quoted string. Backslashes are doubled so Graphviz's escapes (`\N`,
 * `\G`, `\l`) in user text stay literal, `&` becomes `&amp;` because Graphviz decodes
 * HTML entities in strings, and line breaks become DOT's centred `\n`.
 */
export function quote(text: string): string {
  const escaped = text
    .replaceAll('\\', '\\\\')
    .replaceAll('"', '\\"')
    .replaceAll('&', '&amp;')
    .replace(/\r\n|\r|\n/g, '\\n')
    // eslint-disable-next-line no-control-regex -- control characters have no place in a label
    .replace(/[\u0000-\u001f\u007f]/g, ' ');
  return `"${escaped}"`;
}
