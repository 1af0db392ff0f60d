import type { Writable } from 'node:stream';

/** Everything the commands take from the outside world; main.ts builds it from `process`. */
export interface CliContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  isTTY: boolean;
  ci: boolean;
  /** Colours on stdout: a TTY (or FORCE_COLOR) and no NO_COLOR. */
  color: boolean;
  /** Path of this CLI's script, for `up -d` to start itself again. */
  script: string;
  /** This ignite's version (its package.json), which a supervisor it starts reports. */
  version: string;
  debug(): boolean;
}

export function colorAllowed(env: CliContext['env'], isTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTTY && env.TERM !== 'dumb';
}

export function isCI(env: CliContext['env']): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** Writes one line to stderr, prefixed `ignite: `. */
export function say(ctx: CliContext, text: string): void {
  ctx.stderr.write(`ignite: ${text}\n`);
}

export function print(ctx: CliContext, text: string): void {
  ctx.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Exit codes of the SPEC. */
export const EXIT = { ok: 0, failed: 1, invalid: 2, interrupted: 130 } as const;
