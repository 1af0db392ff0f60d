#!/usr/bin/env node
/**
 * The CLI's entry: kept to node builtins and a few tiny modules, so that the
 * handlers below are in place before anything else is loaded — running out of
 * descriptors while loading the rest still ends with a clear message — and V8's
 * flags are set before the bundle is compiled. The rest of the CLI is one
 * CommonJS bundle beside this file, loaded with a V8 code cache (see
 * code-cache.ts and scripts/build.mjs).
 */
import { fileURLToPath } from 'node:url';
import { loadBundle } from './code-cache.js';
import { exitWhenWritten } from './exit.js';
import { fatal } from './fatal.js';
import { commandOf, PID1_REFUSAL, planPid1, runUnderTini } from './pid1.js';
import { stdoutClosed } from './stdout-closed.js';
import { setCliV8Flags } from './v8-flags.js';

type Program = typeof import('./program.js');

/** The bundle built from program.ts (scripts/build.mjs). */
const BUNDLE = './ignite.cjs';

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // a closed pipe (`ignite logs -f | head -1`) is a normal end, not a crash
  if (error.code === 'EPIPE') stdoutClosed();
});

// A throw that escaped every handler: out of descriptors gets its own message, not "please report".
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

setCliV8Flags();

function start(): void {
  const pid1 = planPid1(process.pid, process.argv, process.env);
  if (pid1.kind === 'wrap') {
    runUnderTini(pid1);
    return;
  }
  if (pid1.kind === 'refuse') {
    process.stderr.write(`${PID1_REFUSAL}\n`);
    process.exit(2);
  }
  let program: Program;
  try {
    const bundle = fileURLToPath(new URL(BUNDLE, import.meta.url));
    program = loadBundle(bundle, commandOf(process.argv.slice(2)) ?? '', (specifier) => import(specifier)) as Program;
  } catch (error) {
    fatal(error);
    return;
  }
  program.main(process.argv, import.meta.url).then(exitWhenWritten, fatal);
}

start();
