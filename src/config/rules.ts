/**
 * Cross-task rules, run on every task that passed the shape check (and on the names
 * and good fields of those that did not, so one bad task or field does not hide the
 * others' problems). Each rule pushes every error and warning it finds.
 */
import { error, warning, type Diagnostic } from '../core/diagnostics.js';
import type { TaskSpec } from '../core/model.js';
import type { ReadySpec } from '../core/ready-spec.js';
import { buildGraph, findCycle } from '../graph/index.js';
import { didYouMean } from '../util/did-you-mean.js';
import { formatPath } from './issues.js';
import { nameList } from './messages.js';
import type { TaskInput } from './define.js';
import type { Host } from './host.js';
import { HOST_RULES } from './host-rules.js';
import { isTaskObject } from './schema.js';

export interface CheckedTask {
  /** Position in `tasks`. */
  index: number;
  input: TaskInput;
  spec: TaskSpec;
}

/** A plugin as far as the rules need it, also when it failed its shape check. */
export interface DeclaredPlugin {
  /** Position in `plugins`. */
  index: number;
  name: string | undefined;
  /** The names in its `readyStrategies`; undefined when that is not an object, so the names are unknown. */
  strategies: readonly string[] | undefined;
}

export interface RuleContext {
  tasks: readonly CheckedTask[];
  /** Every task name declared, including those of tasks that failed the shape check. */
  declared: readonly { index: number; name: string }[];
  plugins: readonly DeclaredPlugin[];
  /** Absolute; `given` when the config names it, rather than the default. */
  stateDir: { path: string; given: boolean };
  host: Host;
}

export type Rule = (ctx: RuleContext, out: Diagnostic[]) => void;

export const uniqueNames: Rule = (ctx, out) => {
  const first = new Map<string, number>();
  for (const { index, name } of ctx.declared) {
    const seen = first.get(name);
    if (seen === undefined) first.set(name, index);
    else out.push(error(`tasks[${index}].name`, `duplicate task name "${name}" (also tasks[${seen}])`));
  }
};

export const uniquePluginNames: Rule = (ctx, out) => {
  const first = new Map<string, number>();
  for (const { index, name } of ctx.plugins) {
    if (name === undefined) continue;
    const seen = first.get(name);
    if (seen === undefined) first.set(name, index);
    else out.push(error(`plugins[${index}].name`, `duplicate plugin name "${name}" (also plugins[${seen}])`));
  }
};

/** Two plugins registering one ready strategy name: one would silently replace the other. */
export const uniquePluginStrategies: Rule = (ctx, out) => {
  const first = new Map<string, DeclaredPlugin>();
  const named = (plugin: DeclaredPlugin): string => (plugin.name === undefined ? `plugins[${plugin.index}]` : `plugin "${plugin.name}"`);
  for (const plugin of ctx.plugins) {
    for (const strategy of plugin.strategies ?? []) {
      const seen = first.get(strategy);
      if (seen === undefined) first.set(strategy, plugin);
      else if (seen !== plugin) {
        out.push(error(formatPath(['plugins', plugin.index, 'readyStrategies', strategy]), `ready strategy "${strategy}" is registered by ${named(seen)} (plugins[${seen.index}]) and ${named(plugin)}: rename one`));
      }
    }
  }
};

export const knownDependencies: Rule = (ctx, out) => {
  const names = new Set(ctx.declared.map((d) => d.name));
  for (const { index, input, spec } of ctx.tasks) {
    spec.dependsOn.forEach((dep, k) => {
      if (names.has(dep.task)) return;
      const path = `tasks[${index}].dependsOn[${k}]`;
      const raw = input.dependsOn?.[k];
      const wasObject = isTaskObject(raw) || (typeof raw === 'object' && 'task' in raw && isTaskObject(raw.task));
      if (wasObject) {
        out.push(error(path, `task "${dep.task}" is not listed in tasks`, `add it to defineConfig({ tasks: [...] })`));
        return;
      }
      const suggestion = didYouMean(dep.task, names);
      if (suggestion !== undefined) {
        out.push(error(path, `unknown task "${dep.task}" — did you mean "${suggestion}"?`));
        return;
      }
      const others = [...names].filter((name) => name !== spec.name);
      const known =
        others.length === 0 ? 'no other task is declared' : others.length === 1 ? `the only other task is ${nameList(others)}` : `the other tasks are ${nameList(others)}`;
      out.push(error(path, `unknown task "${dep.task}": ${known}`));
    });
  }
};

export const noSelfDependency: Rule = (ctx, out) => {
  for (const { index, spec } of ctx.tasks) {
    spec.dependsOn.forEach((dep, k) => {
      if (dep.task === spec.name) out.push(error(`tasks[${index}].dependsOn[${k}]`, `task "${spec.name}" depends on itself`, 'remove it from its own dependsOn'));
    });
  }
};

export const noDuplicateDependencies: Rule = (ctx, out) => {
  for (const { index, spec } of ctx.tasks) {
    const seen = new Set<string>();
    spec.dependsOn.forEach((dep, k) => {
      if (seen.has(dep.task)) out.push(warning(`tasks[${index}].dependsOn[${k}]`, `"${dep.task}" is listed twice; the first entry counts`));
      seen.add(dep.task);
    });
  }
};

/** The trail reads "depends on": `a → b → c → a`. Self-dependencies have their own rule. */
export const noCycles: Rule = (ctx, out) => {
  const graph = buildGraph(
    ctx.tasks.map(({ spec }) => ({ name: spec.name, dependsOn: spec.dependsOn.filter((dep) => dep.task !== spec.name) })),
  );
  const trail = findCycle(graph);
  if (trail === undefined) return;
  const task = ctx.tasks.find(({ spec }) => spec.name === trail[0]);
  const k = task?.spec.dependsOn.findIndex((dep) => dep.task === trail[1]) ?? -1;
  const path = task === undefined ? 'tasks' : `tasks[${task.index}].dependsOn${k >= 0 ? `[${k}]` : ''}`;
  out.push(error(path, `dependency cycle: ${trail.join(' → ')}`));
};

export const completedNeedsOneshot: Rule = (ctx, out) => {
  const oneshot = new Map(ctx.tasks.map(({ spec }) => [spec.name, spec.oneshot]));
  for (const { index, spec } of ctx.tasks) {
    spec.dependsOn.forEach((dep, k) => {
      if (dep.condition !== 'completed' || oneshot.get(dep.task) !== false) return;
      out.push(
        error(
          `tasks[${index}].dependsOn[${k}].condition`,
          `"completed" needs "${dep.task}" to be a oneshot task, but it is a service that never completes`,
          `set oneshot: true on "${dep.task}", or use condition "ready"`,
        ),
      );
    });
  }
};

/** Walks a strategy and its all/any children with their paths. */
function* strategies(spec: ReadySpec, path: string): Generator<[ReadySpec, string]> {
  yield [spec, path];
  if (spec.kind === 'all' || spec.kind === 'any') {
    for (const [i, child] of spec.strategies.entries()) yield* strategies(child, `${path}.strategies[${i}]`);
  }
}

function* taskStrategies(task: CheckedTask): Generator<[ReadySpec, string, 'ready' | 'health']> {
  if (task.spec.ready !== undefined) {
    for (const [s, p] of strategies(task.spec.ready, `tasks[${task.index}].ready`)) yield [s, p, 'ready'];
  }
  if (task.spec.health !== undefined) {
    for (const [s, p] of strategies(task.spec.health.check, `tasks[${task.index}].health.check`)) yield [s, p, 'health'];
  }
}

export const knownPluginStrategies: Rule = (ctx, out) => {
  if (ctx.plugins.some((plugin) => plugin.strategies === undefined)) return;
  const registered = [...new Set(ctx.plugins.flatMap((plugin) => plugin.strategies ?? []))];
  for (const task of ctx.tasks) {
    for (const [spec, path] of taskStrategies(task)) {
      if (spec.kind !== 'plugin' || registered.includes(spec.name)) continue;
      out.push(unknownPluginStrategy(spec.name, path, registered));
    }
  }
};

function unknownPluginStrategy(name: string, path: string, registered: readonly string[]): Diagnostic {
  const head = `unknown ready strategy "${name}"`;
  if (registered.length === 0) {
    const hint = `register it in a plugin: defineConfig({ plugins: [definePlugin({ name, readyStrategies: { ${JSON.stringify(name)}: (params, ctx) => … } })] })`;
    return error(path, `${head}: no plugin registers any ready strategy`, hint);
  }
  const suggestion = didYouMean(name, registered);
  const known = `the plugins register ${nameList(registered)}`;
  return error(path, suggestion === undefined ? `${head}: ${known}` : `${head} — did you mean "${suggestion}"? (${known})`);
}

const NOT_A_PROBE = new Set<ReadySpec['kind']>(['log', 'pipe', 'notify', 'delay']);

export const healthChecksProbe: Rule = (ctx, out) => {
  for (const task of ctx.tasks) {
    for (const [spec, path, where] of taskStrategies(task)) {
      if (where !== 'health' || !NOT_A_PROBE.has(spec.kind)) continue;
      out.push(error(path, `a "${spec.kind}" strategy cannot be a health probe`, 'use tcp, http, file, command, a function or a plugin strategy'));
    }
  }
};

export const requiredAgreesWithOnFailure: Rule = (ctx, out) => {
  for (const { index, input } of ctx.tasks) {
    if (input.required !== true || input.onFailure === undefined || input.onFailure === 'shutdown') continue;
    out.push(error(`tasks[${index}].onFailure`, `required: true means onFailure "shutdown", but onFailure is "${input.onFailure}"`));
  }
};

export const replicasNeedOwnLogs: Rule = (ctx, out) => {
  for (const { index, input, spec } of ctx.tasks) {
    if (spec.replicas <= 1 || input.logs?.file === undefined) continue;
    out.push(warning(`tasks[${index}].logs.file`, `all ${spec.replicas} replicas write to the same log file`));
  }
};

export const backoffWithinMax: Rule = (ctx, out) => {
  for (const { index, spec } of ctx.tasks) {
    if (spec.restart.backoffMs <= spec.restart.maxBackoffMs) continue;
    out.push(warning(`tasks[${index}].restart.maxBackoff`, `maxBackoff (${spec.restart.maxBackoffMs}ms) is below backoff (${spec.restart.backoffMs}ms)`));
  }
};

/** ignite stops the stack on these (cli/up/signals.ts) and never forwards them. */
const STOPS_THE_STACK = new Set(['SIGTERM', 'SIGINT', 'SIGQUIT']);

export const forwardedSignals: Rule = (ctx, out) => {
  for (const { index, spec } of ctx.tasks) {
    for (const [from, to] of Object.entries(spec.signals)) {
      if (!STOPS_THE_STACK.has(from)) continue;
      const hint = `use stop: { signal: ${JSON.stringify(to)} } to choose the signal this task is stopped with`;
      out.push(warning(`tasks[${index}].signals.${from}`, `ignite never forwards ${from} (it stops the stack); ${hint}`));
    }
  }
};

export const RULES: readonly Rule[] = [
  uniqueNames,
  uniquePluginNames,
  uniquePluginStrategies,
  knownDependencies,
  noSelfDependency,
  noDuplicateDependencies,
  noCycles,
  completedNeedsOneshot,
  knownPluginStrategies,
  healthChecksProbe,
  requiredAgreesWithOnFailure,
  replicasNeedOwnLogs,
  backoffWithinMax,
  forwardedSignals,
  ...HOST_RULES,
];

export function runRules(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const rule of RULES) rule(ctx, out);
  return out;
}
