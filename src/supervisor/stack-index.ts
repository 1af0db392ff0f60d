/**
 * The stack as instances: replicas expanded (`w:0`, `w:1`; one replica keeps the
 * plain name), with dependency and dependent lookups by task name.
 */
import type { StackSpec, TaskSpec } from '../core/model.js';
import type { InstanceDef } from './instance.js';

export function expandInstances(tasks: readonly TaskSpec[]): InstanceDef[] {
  return tasks.flatMap((spec) => {
    const count = Math.max(1, Math.floor(spec.replicas));
    return Array.from({ length: count }, (_, replica) => ({
      name: count === 1 ? spec.name : `${spec.name}:${replica}`,
      baseName: spec.name,
      replica,
      spec,
    }));
  });
}

export class StackIndex {
  private readonly specs = new Map<string, TaskSpec>();
  private readonly dependents = new Map<string, string[]>();

  constructor(stack: StackSpec) {
    for (const spec of stack.tasks) this.specs.set(spec.name, spec);
    for (const spec of stack.tasks) {
      for (const dependency of spec.dependsOn) {
        const list = this.dependents.get(dependency.task) ?? [];
        list.push(spec.name);
        this.dependents.set(dependency.task, list);
      }
    }
  }

  taskNames(): string[] {
    return [...this.specs.keys()];
  }

  /** Tasks that depend on `task` directly, or transitively. */
  dependentsOf(task: string, transitive: boolean): string[] {
    const direct = this.dependents.get(task) ?? [];
    return transitive ? this.walk(direct, (name) => this.dependents.get(name) ?? []) : direct;
  }

  /** `tasks` plus everything they need, transitively (unknown names ignored). */
  withDependencies(tasks: Iterable<string>): Set<string> {
    const start = [...tasks];
    const deps = this.walk(start, (name) => this.specs.get(name)?.dependsOn.map((d) => d.task) ?? []);
    return new Set([...start, ...deps]);
  }

  private walk(start: readonly string[], next: (name: string) => readonly string[]): string[] {
    const seen = new Set<string>();
    const stack = [...start];
    for (let name = stack.pop(); name !== undefined; name = stack.pop()) {
      if (seen.has(name)) continue;
      seen.add(name);
      stack.push(...next(name));
    }
    return [...seen];
  }
}
