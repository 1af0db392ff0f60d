import { relative } from 'node:path';
import type { StackSpec } from '../../core/model.js';
import { describeReady } from '../../core/ready-spec.js';
import type { CliContext } from '../context.js';
import { EXIT, print } from '../context.js';
import { loadStack } from '../load.js';

/** `ignite validate`: load and check; print warnings, tasks, edges and start waves (0), or every problem (2). */
export async function validateCommand(ctx: CliContext, options: { config?: string }): Promise<number> {
  const loaded = await loadStack(ctx, options.config);
  if (!loaded.ok) return loaded.code;
  const { graphOfStack, startWaves } = await import('../../graph/index.js');
  print(ctx, describeStack(ctx, loaded.stack, startWaves(graphOfStack(loaded.stack))));
  return EXIT.ok;
}

export function describeStack(ctx: CliContext, stack: StackSpec, waves: string[][]): string {
  const count = stack.tasks.length;
  const width = Math.max(...stack.tasks.map((t) => t.name.length));
  const warnings = stack.warnings?.length ?? 0;
  const warned = warnings === 0 ? '' : ` (${warnings} ${warnings === 1 ? 'warning' : 'warnings'}, above)`;
  const lines = [`✔ ${relative(ctx.cwd, stack.file) || stack.file}: ${count} ${count === 1 ? 'task' : 'tasks'}, valid${warned}`, '', 'tasks:'];
  for (const task of stack.tasks) {
    const traits = [
      task.oneshot ? 'oneshot' : undefined,
      task.replicas > 1 ? `×${task.replicas}` : undefined,
      task.autostart ? undefined : 'autostart off',
      ...task.tags.map((tag) => `@${tag}`),
    ].filter((t): t is string => t !== undefined);
    const extra = traits.length === 0 ? '' : `  (${traits.join(', ')})`;
    lines.push(`  ${task.name.padEnd(width)}  ready: ${describeReady(task.ready)}${extra}`);
  }
  const edges = stack.tasks.flatMap((task) =>
    task.dependsOn.map((dep) => `  ${task.name} → ${dep.task} (${dep.condition}${dep.restart ? ', restart' : ''})`),
  );
  lines.push('', 'edges (task → dependency):', ...(edges.length === 0 ? ['  none'] : edges));
  lines.push('', 'start waves:', ...waves.map((wave, i) => `  ${i + 1}. ${wave.join(', ')}`));
  return lines.join('\n');
}
