import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** EXIT.failed; this module stays free of the CLI's shared chunks (see main.ts). */
const FAILED = 1;

/** `EMFILE` / `ENFILE` from an error's code, or from its message when a wrapper dropped the code. */
export function fdErrorCode(error: unknown): 'EMFILE' | 'ENFILE' | undefined {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (code === 'EMFILE' || code === 'ENFILE') return code;
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const found = /\b(EMFILE|ENFILE)\b/.exec(message)?.[1];
  return found === 'EMFILE' || found === 'ENFILE' ? found : undefined;
}

/**
 * The soft limit on open files. Read after the failure, when the descriptors
 * the failed operation held are closed again; either way may still fail, then
 * the message goes without the number.
 */
export function softFdLimit(): string | undefined {
  try {
    const match = /^Max open files\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (match?.[1] !== undefined) return match[1];
  } catch {
    // no /proc (or no descriptor left): ask a shell, which inherits our limit
  }
  try {
    const shell = spawnSync('/bin/sh', ['-c', 'ulimit -n'], { encoding: 'utf8', timeout: 2000 });
    const text = shell.stdout.trim();
    if (shell.status === 0 && text !== '') return text;
  } catch {
    // nothing left to ask
  }
  return undefined;
}

/** The one line for running out of descriptors, or undefined for any other error. */
export function fdExhaustionMessage(error: unknown, limit: () => string | undefined = softFdLimit): string | undefined {
  const code = fdErrorCode(error);
  if (code === undefined) return undefined;
  if (code === 'ENFILE') {
    return 'ignite: the system is out of open files (ENFILE) — close some programs or raise fs.file-max';
  }
  const now = limit();
  return `ignite: too many open files (EMFILE) — raise the limit with \`ulimit -n\`${now === undefined ? '' : ` (now ${now})`}`;
}

let ending = false;

/**
 * Ends the process for an error nobody handled: out of descriptors is the
 * user's to fix, anything else is a bug. For EMFILE the limit is read again for
 * up to ~200 ms, as descriptors held by the failed operation close.
 */
export function fatal(error: unknown): void {
  if (ending) return;
  ending = true;
  if (fdErrorCode(error) === undefined) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`ignite: internal error — please report: ${message}\n`);
    if (process.argv.includes('--debug') && error instanceof Error && error.stack !== undefined) {
      process.stderr.write(`${error.stack}\n`);
    }
    process.exit(FAILED);
  }
  void patientLimit().then((limit) => {
    process.stderr.write(`${fdExhaustionMessage(error, () => limit) ?? ''}\n`);
    process.exit(FAILED);
  });
}

async function patientLimit(): Promise<string | undefined> {
  let limit = softFdLimit();
  for (const delay of [10, 40, 150]) {
    if (limit !== undefined) return limit;
    await new Promise((resolve) => setTimeout(resolve, delay));
    limit = softFdLimit();
  }
  return limit;
}
