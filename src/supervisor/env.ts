import type { TaskSpec } from '../core/model.js';

/**
 * The child's environment, lowest precedence first: the supervisor's own (or only
 * PATH when `inheritEnv` is false), the task's env (envFiles already folded in by
 * config), the ready strategy's variables, then IGNITE_TASK / IGNITE_REPLICA and
 * the identity that finds escaped processes later: IGNITE_RUN (one random id per
 * supervisor) and IGNITE_ATTEMPT (the instance's spawn number, from 1).
 */
export function buildEnv(
  spec: TaskSpec,
  instance: { name: string; replica: number },
  readyEnv: Readonly<Record<string, string>>,
  base: Readonly<Record<string, string | undefined>>,
  identity: { run: string; attempt: number },
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
  env.IGNITE_RUN = identity.run;
  env.IGNITE_ATTEMPT = String(identity.attempt);
  return env;
}
