/**
 * Validation in stages, so one run reports every problem: the top level, then each
 * task on its own, then normalisation (env files), then the rules (cross-task, and
 * those that ask the machine) over every task whose shape was good and over the good
 * parts of the others.
 */
import { dirname, resolve } from 'node:path';
import { error, type Diagnostic } from '../core/diagnostics.js';
import type { PluginSpec, StackSpec } from '../core/model.js';
import { err, ok, type Result } from '../core/result.js';
import { toMs } from '../util/duration.js';
import { isObject } from '../util/is-object.js';
import type { ConfigInput } from './define.js';
import { insecureHttpHost } from './control-host.js';
import { envFileReader } from './env-file.js';
import { systemHost, type Host } from './host.js';
import { formatPath, issuesToDiagnostics } from './issues.js';
import { UNDECLARED_TASK } from './messages.js';
import { DEFAULTS, normalizeControl, normalizePlugin, normalizeTask, uniqueDependencies, type NormalizeContext } from './normalize.js';
import { runRules, type CheckedTask, type DeclaredPlugin } from './rules.js';
import { salvage } from './salvage.js';
import { pluginSchema, taskSchema, topLevelSchema } from './schema.js';

/** `host` answers the rules that ask the machine (folders, accounts, CPUs). */
export function validateConfig(input: unknown, file: string, host: Host = systemHost()): Result<StackSpec, Diagnostic[]> {
  const configFile = resolve(file);
  const dir = dirname(configFile);
  const diagnostics: Diagnostic[] = [];
  const top = topLevel(input, diagnostics);
  const stateDir = resolve(dir, top.stateDir ?? DEFAULTS.stateDir);
  const ctx: NormalizeContext = { dir, stateDir, env: top.env ?? {}, readEnvFile: envFileReader() };

  const checked: CheckedTask[] = [];
  // Tasks with shape errors, minus their bad fields: the cross-task rules still look at them.
  const salvaged: CheckedTask[] = [];
  const declared: { index: number; name: string }[] = [];
  top.tasks.forEach((raw, index) => {
    if (raw === undefined) {
      diagnostics.push(error(formatPath(['tasks', index]), UNDECLARED_TASK));
      return;
    }
    const name = isObject(raw) ? raw.name : undefined;
    if (typeof name === 'string') declared.push({ index, name });
    const parsed = taskSchema.safeParse(raw);
    if (parsed.success) {
      checked.push({ index, input: parsed.data, spec: normalizeTask(parsed.data, index, ctx, diagnostics) });
      return;
    }
    diagnostics.push(...issuesToDiagnostics(parsed.error.issues, ['tasks', index], raw));
    const partial = salvage(raw, parsed.error.issues);
    if (partial !== undefined) salvaged.push({ index, input: partial, spec: normalizeTask(partial, index, ctx, diagnostics) });
  });
  const plugins = validPlugins(top.plugins ?? [], diagnostics);
  const tasks = [...checked, ...salvaged].sort((a, b) => a.index - b.index);
  diagnostics.push(...runRules({ tasks, declared, plugins: (top.plugins ?? []).map(declarePlugin), stateDir: { path: stateDir, given: top.stateDir !== undefined }, host }));

  const control = normalizeControl(top.control, dir, stateDir);
  insecureHttpHost(control, diagnostics);

  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return err(inUserOrder(diagnostics));
  const stack: StackSpec = {
    file: configFile,
    dir,
    tasks: checked.map((task) => uniqueDependencies(task.spec)),
    plugins,
    env: ctx.env,
    stateDir,
    shutdownTimeoutMs: top.shutdownTimeout === undefined ? DEFAULTS.shutdownTimeoutMs : toMs(top.shutdownTimeout),
    control,
  };
  if (diagnostics.length > 0) stack.warnings = inUserOrder(diagnostics);
  return ok(stack);
}

function validPlugins(raw: readonly unknown[], diagnostics: Diagnostic[]): PluginSpec[] {
  const plugins: PluginSpec[] = [];
  raw.forEach((plugin, index) => {
    const parsed = pluginSchema.safeParse(plugin);
    if (parsed.success) plugins.push(normalizePlugin(parsed.data));
    else diagnostics.push(...issuesToDiagnostics(parsed.error.issues, ['plugins', index], plugin));
  });
  return plugins;
}

/** A plugin's name and strategy names, read from what the user wrote, so a bad plugin hides no other problem. */
function declarePlugin(raw: unknown, index: number): DeclaredPlugin {
  const plugin = isObject(raw) ? raw : {};
  const strategies = plugin.readyStrategies === undefined ? {} : plugin.readyStrategies;
  return {
    index,
    name: typeof plugin.name === 'string' && plugin.name !== '' ? plugin.name : undefined,
    strategies: isObject(strategies) ? Object.keys(strategies) : undefined,
  };
}

/** Top level first, then plugins, then task by task; each group keeps shape errors before rule errors. */
function inUserOrder(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const rank = (d: Diagnostic): number => {
    const task = /^tasks\[(\d+)\]/.exec(d.path);
    if (task !== null) return Number(task[1]);
    return d.path.startsWith('plugins') ? -1 : -2;
  };
  const bySeverity = (d: Diagnostic): number => (d.severity === 'error' ? 0 : 1);
  return [...diagnostics].sort((a, b) => bySeverity(a) - bySeverity(b) || rank(a) - rank(b));
}

type TopLevel = Omit<ConfigInput, 'tasks' | 'plugins'> & { tasks: unknown[]; plugins?: unknown[] };

/** The top level's good fields; a bad field is reported and then treated as absent. */
function topLevel(input: unknown, diagnostics: Diagnostic[]): TopLevel {
  const parsed = topLevelSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  diagnostics.push(...issuesToDiagnostics(parsed.error.issues, [], input));
  if (!isObject(input)) return { tasks: [] };
  const good: TopLevel = { tasks: Array.isArray(input.tasks) ? (input.tasks as unknown[]) : [] };
  if (Array.isArray(input.plugins)) good.plugins = input.plugins as unknown[];
  const bad = new Set(parsed.error.issues.map((issue) => issue.path[0]));
  for (const key of ['env', 'stateDir', 'shutdownTimeout', 'control'] as const) {
    if (!bad.has(key) && key in input) Object.assign(good, { [key]: input[key] });
  }
  return good;
}
