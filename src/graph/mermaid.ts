import type { StackSpec, TaskSpec } from '../core/model.js';
import { taskTitle } from './describe.js';
import { CATEGORY_STYLES, readyCategory, usedCategories } from './style.js';

/**
 * A Mermaid flowchart of the stack. Nodes get generated ids (`t0`, `t1`…) because
 * task names may contain `-`/`.` or be Mermaid keywords such as `end`. Oneshot
 * tasks are stadiums, the rest rounded boxes; classes colour them by ready strategy.
 */
export function toMermaid(stack: StackSpec): string {
  const ids = new Map(stack.tasks.map((task, index) => [task.name, `t${index}`]));
  const lines = ['flowchart TD'];
  for (const task of stack.tasks) lines.push(`  ${node(ids.get(task.name) ?? '', task)}`);
  for (const task of stack.tasks) {
    for (const dependency of task.dependsOn) {
      const target = ids.get(dependency.task);
      if (target === undefined) continue;
      const words: string[] = dependency.condition === 'ready' ? [] : [dependency.condition];
      if (dependency.restart) words.push('restart');
      const arrow = dependency.restart ? '==>' : '-->';
      const label = words.length === 0 ? '' : `|${escape(words.join(', '))}|`;
      lines.push(`  ${ids.get(task.name) ?? ''} ${arrow}${label} ${target}`);
    }
  }
  for (const category of usedCategories(stack.tasks.map((task) => task.ready))) {
    const members = stack.tasks.filter((task) => readyCategory(task.ready) === category).map((task) => ids.get(task.name) ?? '');
    lines.push(`  classDef ready_${category} fill:${CATEGORY_STYLES[category].fill},stroke:#333`);
    lines.push(`  class ${members.join(',')} ready_${category}`);
  }
  return `${lines.join('\n')}\n`;
}

function node(id: string, task: TaskSpec): string {
  const label = [taskTitle(task)];
  if (task.description !== undefined && task.description !== '') label.push(task.description);
  const text = `"${label.map(escape).join('<br/>')}"`;
  return task.oneshot ? `${id}([${text}])` : `${id}(${text})`;
}

/** Mermaid entity codes for everything that could end a label or be read as markup. */
function escape(text: string): string {
  return text
    .replaceAll('#', '#35;')
    .replaceAll('"', '#quot;')
    .replaceAll('<', '#lt;')
    .replaceAll('>', '#gt;')
    .replaceAll('&', '#amp;')
    .replaceAll('|', '#124;')
    .replace(/\r\n|\r|\n/g, '<br/>');
}
