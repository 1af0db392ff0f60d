/**
 * Parsed JSON/YAML/TOML → the value `defineConfig` takes, for the usual validation: `tasks`
 * may be a map from name to task, a log pattern is a string holding a regular expression.
 * What only code can express (hooks, plugins, function strategies) is reported here, and
 * the diagnostics are put back in the user's terms (`tasks.redis.ready`, not `tasks[2].ready`).
 */
import { error, warning, type Diagnostic } from '../core/diagnostics.js';
import { isObject } from '../util/is-object.js';
import { formatPath } from './issues.js';
import { expectedMessage } from './messages.js';

type Path = readonly PropertyKey[];

export interface DataInput {
  /** What validation gets. */
  input: unknown;
  /** Problems of the data itself (paths as validation's: `tasks[2]`); validation's findings under them are dropped. */
  problems: Diagnostic[];
  /** In the map form, each task's key, by index. */
  taskKeys?: string[];
}

/**
 * A YAML umask written with a leading zero (`022`), which YAML 1.2 reads as a decimal number
 * (TOML and JSON reject it; `0o22` is octal and stays a plain number): almost surely meant as octal.
 */
export class DecimalUmask {
  constructor(
    readonly value: number,
    readonly source: string,
  ) {}
}

const NEEDS_CODE = 'cannot be written in a data file: use a TypeScript config (ignite.config.ts)';

export function fromData(parsed: unknown): DataInput {
  if (!isObject(parsed)) return { input: parsed, problems: [] };
  // `x-…` keys hold YAML anchors for the tasks to share (docker compose's convention): not config
  const data = Object.fromEntries(Object.entries(parsed).filter(([key]) => !key.startsWith('x-')));
  const problems: Diagnostic[] = [];
  if ('plugins' in data) problems.push(error('plugins', `plugins are code and ${NEEDS_CODE}`));
  const { tasks } = data;
  if (Array.isArray(tasks)) return { input: { ...data, tasks: tasks.map((task, i) => convertTask(task, ['tasks', i], problems)) }, problems };
  if (!isObject(tasks)) return { input: data, problems };
  const taskKeys = Object.keys(tasks);
  const list = taskKeys.map((key, i) => convertTask(named(key, tasks[key], i, problems), ['tasks', i], problems));
  return { input: { ...data, tasks: list }, problems, taskKeys };
}

/** A task of the map form, named by its key. */
function named(key: string, task: unknown, index: number, problems: Diagnostic[]): unknown {
  if (!isObject(task)) return task;
  if ('name' in task && task.name !== key) {
    problems.push(error(formatPath(['tasks', index, 'name']), `the name ${JSON.stringify(task.name)} differs from its key "${key}": drop \`name\` or make them the same`));
  }
  return { ...task, name: key };
}

function convertTask(task: unknown, path: Path, problems: Diagnostic[]): unknown {
  if (!isObject(task)) return task;
  const converted = { ...task };
  if (task.umask instanceof DecimalUmask) {
    const { value, source } = task.umask;
    const advice = /^[0-7]+$/.test(source) ? `: quote it, umask: '${source}', for octal` : '';
    problems.push(warning(formatPath([...path, 'umask']), `${source} is read as the decimal number ${value} (octal ${value.toString(8)})${advice}`));
    converted.umask = value;
  }
  if ('hooks' in task) problems.push(error(formatPath([...path, 'hooks']), `hooks are functions and ${NEEDS_CODE}`));
  if ('ready' in task) converted.ready = convertReady(task.ready, [...path, 'ready'], problems);
  if (isObject(task.health) && 'check' in task.health) {
    converted.health = { ...task.health, check: convertReady(task.health.check, [...path, 'health', 'check'], problems) };
  }
  return converted;
}

function convertReady(strategy: unknown, path: Path, problems: Diagnostic[]): unknown {
  if (!isObject(strategy)) return strategy;
  switch (strategy.kind) {
    case 'log':
      return { ...strategy, pattern: toPattern(strategy.pattern, [...path, 'pattern'], problems) };
    case 'all':
    case 'any': {
      const list = strategy.strategies;
      if (!Array.isArray(list)) return strategy;
      return { ...strategy, strategies: list.map((item, i) => convertReady(item, [...path, 'strategies', i], problems)) };
    }
    case 'function':
      problems.push(error(formatPath(path), `a function strategy ${NEEDS_CODE}`));
      return strategy;
    case 'plugin':
      problems.push(error(formatPath(path), `a plugin strategy needs its plugin, which ${NEEDS_CODE}`));
      return strategy;
    default:
      return strategy;
  }
}

const SLASHED = /^\/(.+)\/([a-z]*)$/s;

/**
 * `"Ready to accept"` is a regular expression's source, `"/ready/i"` one with flags. An
 * invalid source stays a string: validation then says why, at its path.
 */
function toPattern(pattern: unknown, path: Path, problems: Diagnostic[]): unknown {
  if (typeof pattern !== 'string') return pattern;
  const slashed = SLASHED.exec(pattern);
  try {
    return slashed === null ? new RegExp(pattern) : new RegExp(slashed[1] ?? '', slashed[2]);
  } catch (e) {
    if (slashed !== null) problems.push(error(formatPath(path), expectedMessage('a regular expression like "/ready/i"', pattern, (e as Error).message)));
    return pattern;
  }
}

/**
 * The data problems and validation's findings (minus those the problems explain), task by task,
 * with the map form's paths: `tasks.redis.ready` for `tasks[2].ready`.
 */
export function inUserTerms(data: DataInput, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const covered = (path: string): boolean => data.problems.some((p) => path === p.path || path.startsWith(`${p.path}.`) || path.startsWith(`${p.path}[`));
  const all = [...data.problems, ...diagnostics.filter((d) => !covered(d.path))].sort((a, b) => taskIndex(a.path) - taskIndex(b.path));
  const keys = data.taskKeys;
  return keys === undefined ? all : all.map((d) => ({ ...d, path: renamePath(d.path, keys) }));
}

const TASK_PATH = /^tasks\[(\d+)\]/;

/** -1 for the top level and plugins, which come first. */
const taskIndex = (path: string): number => Number(TASK_PATH.exec(path)?.[1] ?? -1);

function renamePath(path: string, keys: readonly string[]): string {
  return path.replace(TASK_PATH, (whole, index: string) => {
    const key = keys[Number(index)];
    return key === undefined ? whole : formatPath(['tasks', key]);
  });
}
