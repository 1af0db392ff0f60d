import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { CliContext } from '../context.js';
import { say } from '../context.js';
import { loadStack } from '../load.js';

/** ignite.log rotates like a task's log: at most this big, then `ignite.log.1`, `.2`. */
const LOG_MAX_BYTES = 10 * 1024 * 1024;
const LOG_MAX_FILES = 2;

/**
 * The hidden `__daemon` command that `up -d` starts: a foreground `up` living until
 * `ignite down`, writing plain state lines (not the tasks' output: that is in their own
 * log files) to `<stateDir>/ignite.log`, rotated by size. Its stdout and stderr, which
 * `up -d` points at the same file, keep what is written before the stack is loaded.
 */
export async function daemonCommand(cliCtx: CliContext, patterns: string[], options: { config?: string }): Promise<number> {
  const ctx = unbreakableStdio(cliCtx);
  const loaded = await loadStack(ctx, options.config);
  if (!loaded.ok) return loaded.code;
  const [{ runForeground }, { RotatingFile }] = await Promise.all([import('../up/foreground.js'), import('../../supervisor/output/rotating-file.js')]);
  const log = new RotatingFile(join(loaded.stack.stateDir, 'ignite.log'), {
    maxSizeBytes: LOG_MAX_BYTES,
    maxFiles: LOG_MAX_FILES,
    onError: (error) => say(ctx, `cannot write ignite.log: ${error.message}`),
  });
  const out = new Writable({
    write(chunk: Buffer, _encoding, done): void {
      log.add(chunk);
      done();
    },
  });
  const logged: CliContext = { ...ctx, stdout: out, stderr: out };
  try {
    out.write(`--- ignite ${String(process.pid)} starting at ${new Date().toISOString()}\n`);
    return await runForeground(logged, { stack: loaded.stack, patterns, renderer: 'plain', out, color: false, untilDown: true, taskOutput: false });
  } finally {
    await log.close();
  }
}

/**
 * The daemon's stdout and stderr are its log file, on the disk of the state dir: when
 * that disk is full, writing them fails, and that must not end the supervisor (its
 * guardian would then kill every task). Lines that cannot be written are dropped; the
 * next one is tried again, so the log resumes once there is room. process.stdout and
 * process.stderr get a listener too, for whatever writes to them directly.
 */
function unbreakableStdio(ctx: CliContext): CliContext {
  const ignore = (): void => undefined;
  process.stdout.on('error', ignore);
  process.stderr.on('error', ignore);
  return { ...ctx, stdout: fdWriter(1), stderr: fdWriter(2) };
}

function fdWriter(fd: number): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done): void {
      try {
        writeSync(fd, chunk);
      } catch {
        // a full disk (ENOSPC), a closed descriptor: the line is lost, the supervisor goes on
      }
      done();
    },
  });
}
