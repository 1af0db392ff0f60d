import type { TaskSpec } from '../core/model.js';

/**
 * The child's environment, lowest precedence first: the supervisor's own (or only
 * PATH when `inheritEnv` is false), the task's env (envFiles already folded in by
 * config), the ready strategy's variables, then IGNITE_TASK / IGNITE_REPLICA.
 */
export function buildEnv(
  spec: TaskSpec,
  instance: { name: string; replica: number },
  readyEnv: Readonly<Record<string, string>>,
  base: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  if (spec.inheritEnv) {
    for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;
  } else if (base.PATH !== undefined) {
    env.PATH = base.PATH;
  }
  Object.assign(env, spec.env, readyEnv);
  env.IGNITE_TASK = instance.name;
  env.IGNITE_REPLICA = String(instance.replica);
  return env;
}
