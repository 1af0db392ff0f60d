#!/usr/bin/env node
/**
 * The CLI's entry: kept to node builtins and two tiny modules, so that the
 * handlers below are in place before anything else is loaded — running out of
 * descriptors while loading the rest still ends with a clear message.
 */
import { fatal } from './fatal.js';
import { PID1_REFUSAL, planPid1, runUnderTini } from './pid1.js';

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // a closed pipe (`ignite logs -f | head -1`) is a normal end, not a crash
  if (error.code === 'EPIPE') process.exit(0);
});

// A throw that escaped every handler: out of descriptors gets its own message, not "please report".
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

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
  import('./program.js')
    .then((program) => program.main(process.argv, import.meta.url))
    .then((code) => process.exit(code), fatal);
}

start();
