import { dirname, join } from 'node:path';
import type { ControlClient, ControlFailure } from '../control/index.js';
import type { StackSpec } from '../core/model.js';
import { formatFailure } from '../core/failure-text.js';
import { withConsoleOnStderr } from './config-console.js';
import type { CliContext } from './context.js';
import { EXIT, say } from './context.js';
import { otherStackLine, sameConfigFile } from './other-stack.js';

export type Remote = { ok: true; client: ControlClient; stack: StackSpec | undefined; stateDir: string } | { ok: false; code: number };

/**
 * Finds the state dir of the stack (from the config) and connects to its
 * supervisor. A config that no longer loads still lets you reach a running
 * stack: through the `stateDir` it names plainly, else its default state dir
 * (`guessed`: a stack elsewhere cannot be seen).
 */
export async function resolveStateDir(
  ctx: CliContext,
  file: string | undefined,
): Promise<{ ok: true; stateDir: string; stack: StackSpec | undefined; guessed?: true } | { ok: false; code: number }> {
  const config = await import('../config/load.js');
  const loaded = await withConsoleOnStderr(() => config.loadConfig(file === undefined ? { cwd: ctx.cwd } : { file, cwd: ctx.cwd }));
  if (loaded.ok) return { ok: true, stateDir: loaded.value.stateDir, stack: loaded.value };
  const failure = loaded.error;
  if (failure.reason === 'not-found' || failure.reason === 'missing-file' || failure.reason === 'folder-without-config' || failure.reason === 'unsupported-format') {
    const { formatLoadFailure } = await import('../render/diagnostics.js');
    ctx.stderr.write(`${formatLoadFailure(failure, { debug: ctx.debug(), cwd: ctx.cwd }).trimEnd()}\n`);
    return { ok: false, code: EXIT.invalid };
  }
  if (failure.reason === 'invalid' && failure.stateDir !== undefined) {
    say(ctx, `warning: the config does not load (invalid); using the stateDir it names, ${failure.stateDir}`);
    return { ok: true, stateDir: failure.stateDir, stack: undefined };
  }
  say(ctx, `warning: the config does not load (${failure.reason}); using its default state dir`);
  return { ok: true, stateDir: join(dirname(failure.file), '.ignite'), stack: undefined, guessed: true };
}

/** `offline`: what to do instead when no stack is running and the config loaded (else: say so, exit 1). */
export async function connect(ctx: CliContext, file: string | undefined, offline?: (stack: StackSpec) => Promise<number>): Promise<Remote> {
  const dir = await resolveStateDir(ctx, file);
  if (!dir.ok) return dir;
  const { ControlClient } = await import('../control/index.js');
  const client = await ControlClient.connect(dir.stateDir);
  if (!client.ok) {
    const stack = client.error.reason === 'not-running' ? dir.stack : undefined;
    const code = stack !== undefined && offline !== undefined ? await offline(stack) : reportControlFailure(ctx, client.error);
    return { ok: false, code };
  }
  const other = refuseOtherStack(ctx, client.value, dir.stack);
  if (other !== undefined) return { ok: false, code: other };
  warnOtherVersion(ctx, client.value);
  return { ok: true, client: client.value, stack: dir.stack, stateDir: dir.stateDir };
}

/**
 * A stack started by another ignite version (before an upgrade) still answers, but may lack
 * what this one asks of it: say so once per command, as PM2 does ("In-memory PM2 is out-of-date").
 */
export function warnOtherVersion(ctx: CliContext, client: ControlClient): void {
  const running = client.supervisor;
  if (running === undefined || running.version === ctx.version) return;
  const by = running.version === undefined ? 'an older ignite' : `ignite ${running.version}`;
  say(ctx, `warning: the stack here (pid ${String(running.pid)}) was started by ${by}, and this is ignite ${ctx.version}: restart it with this one (\`ignite down\`, then \`ignite up -d\`)`);
}

/** Exit 2 with a message when the supervisor reached runs another config than `stack`'s (they share the state dir). */
export function refuseOtherStack(ctx: CliContext, client: ControlClient, stack: StackSpec | undefined): number | undefined {
  const running = client.supervisor?.configFile;
  if (stack === undefined || running === undefined || sameConfigFile(running, stack.file)) return undefined;
  say(ctx, otherStackLine(client.stateDir, running, stack.file));
  return EXIT.invalid;
}

/** Prints a control failure; a pattern that matches nothing is a command-line error (2). */
export function reportControlFailure(ctx: CliContext, failure: ControlFailure): number {
  say(ctx, failure.reason === 'server-error' && failure.failure !== undefined ? formatFailure(failure.failure) : failure.message);
  if (failure.reason === 'server-error' && failure.failure !== undefined) {
    const reason = failure.failure.reason;
    if (reason === 'no-match' || reason === 'unknown-task') return EXIT.invalid;
  }
  if (failure.reason === 'server-error' && failure.status === 400) return EXIT.invalid;
  return EXIT.failed;
}
