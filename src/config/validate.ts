/**
 * Validation in stages, so one run reports every problem: the top level, then each
 * task on its own, then normalisation (env files), then the cross-task rules over
 * every task whose shape was good.
 */
import { dirname, resolve } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.js';
import type { PluginSpec, StackSpec } from '../core/model.js';
import { err, ok, type Result } from '../core/result.js';
import { toMs } from '../util/duration.js';
import { isObject } from '../util/is-object.js';
import type * as z from 'zod';
import type { ConfigInput, TaskInput } from './define.js';
import { envFileReader } from './env-file.js';
import { issuesToDiagnostics } from './issues.js';
import { DEFAULTS, normalizeControl, normalizePlugin, normalizeTask, type NormalizeContext } from './normalize.js';
import { runRules, type CheckedTask } from './rules.js';
import { pluginSchema, TASK_KEYS, taskSchema, topLevelSchema } from './schema.js';

export function validateConfig(input: unknown, file: string): Result<StackSpec, Diagnostic[]> {
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
    const name = isObject(raw) ? raw.name : undefined;
    if (typeof name === 'string') declared.push({ index, name });
    const parsed = taskSchema.safeParse(raw);
    if (parsed.success) {
      checked.push({ index, input: parsed.data, spec: normalizeTask(parsed.data, index, ctx, diagnostics) });
      return;
    }
    diagnostics.push(...issuesToDiagnostics(parsed.error.issues, ['tasks', index]));
    const partial = salvage(raw, parsed.error.issues);
    if (partial !== undefined) salvaged.push({ index, input: partial, spec: normalizeTask(partial, index, ctx, diagnostics) });
  });
  const plugins = validPlugins(top.plugins ?? [], diagnostics);
  diagnostics.push(...runRules({ tasks: [...checked, ...salvaged].sort((a, b) => a.index - b.index), declared, plugins, pluginsComplete: plugins.length === (top.plugins ?? []).length }));

  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return err(inUserOrder(diagnostics));
  const stack: StackSpec = {
    file: configFile,
    dir,
    tasks: checked.map((task) => task.spec),
    plugins,
    env: ctx.env,
    stateDir,
    shutdownTimeoutMs: top.shutdownTimeout === undefined ? DEFAULTS.shutdownTimeoutMs : toMs(top.shutdownTimeout),
    control: normalizeControl(top.control, dir, stateDir),
  };
  if (diagnostics.length > 0) stack.warnings = diagnostics;
  return ok(stack);
}

function validPlugins(raw: readonly unknown[], diagnostics: Diagnostic[]): PluginSpec[] {
  const plugins: PluginSpec[] = [];
  raw.forEach((plugin, index) => {
    const parsed = pluginSchema.safeParse(plugin);
    if (parsed.success) plugins.push(normalizePlugin(parsed.data));
    else diagnostics.push(...issuesToDiagnostics(parsed.error.issues, ['plugins', index]));
  });
  return plugins;
}

/**
 * The task's good fields (unknown and invalid ones dropped), when it still has a valid
 * name; an invalid command is replaced, as no rule looks at it.
 */
function salvage(raw: unknown, issues: readonly z.core.$ZodIssue[]): TaskInput | undefined {
  if (!isObject(raw)) return undefined;
  const bad = new Set(issues.map((issue) => issue.path[0]));
  if (bad.has('name')) return undefined;
  const kept = Object.fromEntries(Object.entries(raw).filter(([key]) => TASK_KEYS.has(key) && !bad.has(key)));
  const again = taskSchema.safeParse({ command: 'true', ...kept });
  return again.success ? again.data : undefined;
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
  diagnostics.push(...issuesToDiagnostics(parsed.error.issues));
  if (!isObject(input)) return { tasks: [] };
  const good: TopLevel = { tasks: Array.isArray(input.tasks) ? (input.tasks as unknown[]) : [] };
  if (Array.isArray(input.plugins)) good.plugins = input.plugins as unknown[];
  const bad = new Set(parsed.error.issues.map((issue) => issue.path[0]));
  for (const key of ['env', 'stateDir', 'shutdownTimeout', 'control'] as const) {
    if (!bad.has(key) && key in input) Object.assign(good, { [key]: input[key] });
  }
  return good;
}
