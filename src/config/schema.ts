/**
 * The zod schema of the config a user writes (`define.ts` types). Only the shape is
 * checked here; cross-task rules live in rules.ts. Every message names what was given
 * and what is allowed; `issues.ts` turns zod issues into Diagnostics.
 */
import * as z from 'zod';
import type { DependencyInput, HealthInput, PluginInput, RestartInput, TaskInput } from './define.js';
import type { Hook, RestartPolicy } from '../core/model.js';
import { isObject } from '../util/is-object.js';
import { parseDuration } from '../util/duration.js';
import { expected, expectedMessage, numberInQuotes, undeclared } from './messages.js';
import { parseUmask } from './normalize.js';
import { readyInputSchema } from './schema-ready.js';
import {
  bool,
  checked,
  command,
  dispatch,
  duration,
  envRecord,
  isSignal,
  func,
  int,
  nonEmpty,
  oneOf,
  port,
  positiveDuration,
  signal,
  signalRecord,
  size,
  strict,
  stringArray,
  taskName,
  text,
} from './schema-parts.js';

/** A task object in `dependsOn`, recognised by shape: tsx may load a second copy of the module. */
export const isTaskObject = (value: unknown): value is { name: unknown; command: unknown } =>
  isObject(value) && 'name' in value && 'command' in value;

const DEPENDENCY = 'a task, a task name or { task, condition, restart }';
const ABOVE_DEPENDENTS = 'the tasks that depend on it';

const taskOrName = dispatch<string | { name: string }>((value) => {
  if (value === undefined) return undeclared('a task or a task name', ABOVE_DEPENDENTS);
  return typeof value === 'string' ? nonEmpty : isTaskObject(value) ? z.any() : expectedMessage('a task or a task name', value);
});

const dependencyObject = strict(
  {
    task: taskOrName,
    condition: oneOf(['started', 'ready', 'completed']).optional(),
    restart: bool.optional(),
  },
  DEPENDENCY,
);

const dependency = dispatch<DependencyInput>((value) => {
  if (value === undefined) return undeclared(DEPENDENCY, ABOVE_DEPENDENTS);
  if (typeof value === 'string') return nonEmpty;
  if (isObject(value) && 'task' in value) return dependencyObject;
  if (isTaskObject(value)) return z.any();
  return expectedMessage(DEPENDENCY, value);
});

const dependencies = dispatch<DependencyInput[]>((value) => {
  if (Array.isArray(value)) return z.array(dependency);
  const why = typeof value === 'string' ? `write [${JSON.stringify(value)}] for a list of one` : isTaskObject(value) ? 'write [task] for a list of one' : undefined;
  return expectedMessage('an array of tasks or task names', value, why);
});

const POLICIES: RestartPolicy[] = ['always', 'on-failure', 'never'];

const restartObject = strict({
  policy: oneOf(POLICIES).optional(),
  backoff: duration.optional(),
  maxBackoff: duration.optional(),
  factor: checked<number>('a number ≥ 1', (v) => typeof v === 'number' && Number.isFinite(v) && v >= 1, numberInQuotes).optional(),
  maxRestarts: int(0).optional(),
  minUptime: duration.optional(),
  exitCodes: z.array(int(0, 255, 'an exit code from 0 to 255'), expected('an array of exit codes')).optional(),
});

const restart = dispatch<RestartPolicy | RestartInput>((value) => {
  if (typeof value === 'string') return oneOf(POLICIES);
  if (isObject(value)) return restartObject;
  return expectedMessage('"always", "on-failure", "never" or { policy, backoff, maxRestarts, ... }', value);
});

const HEALTH = '{ check: <strategy>, interval?, timeout?, retries?, startPeriod? }';

const healthObject = strict(
  {
    check: readyInputSchema,
    interval: positiveDuration.optional(),
    timeout: positiveDuration.optional(),
    retries: int(1).optional(),
    startPeriod: duration.optional(),
  },
  HEALTH,
);

/** A bare strategy where the health object belongs gets one message, not one per field it lacks or has. */
const health = dispatch<HealthInput>((value) => {
  if (typeof value === 'function') return expectedMessage(HEALTH, value, 'wrap it: health: { check: yourFunction }');
  if (!isObject(value) || !('kind' in value) || 'check' in value) return healthObject;
  const builder = typeof value.kind === 'string' ? `ready.${value.kind}(…)` : '<strategy>';
  return `expected ${HEALTH}, got a ready strategy — wrap it: health: { check: ${builder} }`;
});

const stop = strict(
  { signal: signal.optional(), timeout: duration.optional(), command: command.optional() },
  'an object { signal?, timeout?, command? }',
  (v) => {
    if (isSignal(v)) return `write { signal: ${JSON.stringify(v)} }`;
    return typeof v === 'string' && parseDuration(v) !== undefined ? `write { timeout: ${JSON.stringify(v)} }` : undefined;
  },
);

const logs = strict(
  {
    file: nonEmpty.optional(),
    maxSize: size.optional(),
    maxFiles: int(1).optional(),
    mixed: bool.optional(),
    timestamps: bool.optional(),
  },
  'an object { file?, maxSize?, maxFiles?, mixed?, timestamps? }',
  (v) => (typeof v === 'string' && v !== '' ? `write { file: ${JSON.stringify(v)} }` : undefined),
);

const hook = func<Hook>().optional();
const hooks = strict({ preStart: hook, postStart: hook, onReady: hook, onExit: hook, onRestart: hook });

const envFile = dispatch<string | string[]>((value) =>
  Array.isArray(value) ? z.array(nonEmpty) : typeof value === 'string' ? nonEmpty : expectedMessage('a path or an array of paths', value),
);

const userOrGroup = checked<string | number>(
  'a name or a numeric id',
  (v) => (typeof v === 'string' && v !== '') || (Number.isInteger(v) && (v as number) >= 0),
);

const MAX_UMASK = 0o777;
const umaskNumber = (v: unknown): number | undefined => (typeof v === 'string' ? parseUmask(v) : Number.isInteger(v) ? (v as number) : undefined);

const umask = checked<string | number>(
  'an octal string like "022" or "0o022", or a number from 0 to 0o777',
  (v) => {
    const mask = umaskNumber(v);
    return mask !== undefined && mask >= 0 && mask <= MAX_UMASK;
  },
  (v) => {
    const digit = typeof v === 'string' ? /[89]/.exec(v)?.[0] : undefined;
    if (digit !== undefined) return `${digit} is not an octal digit (0-7)`;
    const mask = umaskNumber(v);
    if (mask === undefined) return undefined;
    return mask < 0 ? 'a umask must not be negative' : 'a umask is at most 0777';
  },
);

const taskShape = {
  name: taskName,
  description: text.optional(),
  command,
  cwd: nonEmpty.optional(),
  env: envRecord.optional(),
  envFile: envFile.optional(),
  inheritEnv: bool.optional(),
  dependsOn: dependencies.optional(),
  ready: readyInputSchema.optional(),
  readyTimeout: positiveDuration.optional(),
  health: health.optional(),
  oneshot: bool.optional(),
  restart: restart.optional(),
  onFailure: oneOf(['continue', 'stop-dependents', 'shutdown']).optional(),
  required: bool.optional(),
  stop: stop.optional(),
  signals: signalRecord.optional(),
  replicas: int(1, Number.MAX_SAFE_INTEGER, 'a number of instances (an integer ≥ 1)').optional(),
  startDelay: duration.optional(),
  autostart: bool.optional(),
  user: userOrGroup.optional(),
  group: userOrGroup.optional(),
  umask: umask.optional(),
  cpus: z.array(int(0, Number.MAX_SAFE_INTEGER, 'a CPU number (an integer ≥ 0)'), expected('an array of CPU numbers like [0, 1]')).optional(),
  logs: logs.optional(),
  hooks: hooks.optional(),
  tags: stringArray.optional(),
};

export const TASK_KEYS: ReadonlySet<string> = new Set(Object.keys(taskShape));
export const taskSchema: z.ZodType<TaskInput> = strict(taskShape, 'a task object (see defineTask)');

export const pluginSchema: z.ZodType<PluginInput> = strict(
  {
    name: nonEmpty,
    readyStrategies: z.record(z.string(), func<never>(), expected('an object of functions')).optional(),
    hooks: hooks.optional(),
    statsHandlers: z.array(func<never>(), expected('an array of functions')).optional(),
    controlServers: z.array(func<never>(), expected('an array of functions')).optional(),
  },
  'a plugin (see definePlugin)',
);

// it travels as one word (`Authorization: Bearer <token>`): a space would make it unusable
const bearerToken = checked<string>('a token of printable characters without spaces', (v) => typeof v === 'string' && /^[\x21-\x7E]+$/.test(v));

const control = strict({
  socket: bool.optional(),
  http: strict({ host: nonEmpty.optional(), port, token: bearerToken.optional(), tokenFile: nonEmpty.optional() }).optional(),
});

/** The top level, with `tasks` and `plugins` left unchecked: each is validated on its own (validate.ts). */
export const topLevelSchema = strict(
  {
    tasks: z.array(z.unknown(), {
      error: (issue) =>
        expectedMessage('an array of tasks', issue.input, isObject(issue.input) ? 'list them as tasks: [{ name, command, … }, …]' : undefined),
    }),
    plugins: z.array(z.unknown(), expected('an array of plugins')).optional(),
    env: envRecord.optional(),
    stateDir: nonEmpty.optional(),
    shutdownTimeout: duration.optional(),
    control: control.optional(),
  },
  'a config object { tasks: [...] }',
);
