import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { shellWord } from '../util/shell-word.js';

/**
 * Whether the running supervisor's config is `file`: the same path, or the same file
 * reached another way (a symlink). When either is gone (the project was moved since
 * the stack started), nothing says it is another config: it counts as the same.
 */
export function sameConfigFile(running: string, file: string): boolean {
  if (running === file) return true;
  const a = statSync(running, { throwIfNoEntry: false });
  const b = statSync(file, { throwIfNoEntry: false });
  if (a === undefined || b === undefined) return true;
  return a.dev === b.dev && a.ino === b.ino;
}

/** A command that reaches the stack of another config sharing the state dir (two configs in one folder, or one stateDir for two projects). */
export function otherStackLine(stateDir: string, running: string, file: string): string {
  return `the stack in ${stateDir} runs ${running}, not ${file}: both configs use this state dir. Reach that stack with \`-c ${shellWord(running)}\`, and give each config its own \`stateDir\``;
}

/** `up` finds a stack already running in its state dir: which one, and what to do. */
export function alreadyRunningLine(pid: number | undefined, stateDir: string, running: string | undefined, file: string): string {
  const who = `pid ${pid === undefined ? '?' : String(pid)}`;
  if (running === undefined || sameConfigFile(running, file)) return `a stack is already running here (${who}); use \`ignite ps\` or \`ignite down\``;
  return `a stack of another config (${running}, ${who}) is already running in ${stateDir}, which ${file} uses too: stop it with \`ignite down -c ${shellWord(running)}\`, or give each config its own \`stateDir\``;
}

/**
 * `ignite <command>` as it reaches the stack of `file` from `cwd`: with `-c` when the config
 * found from there without one is another file, or none (`up -d -c a.mjs` must not advise a
 * plain `ignite down`, which would not find a.mjs). `found`: that config, looked up by the caller.
 */
export function commandFor(command: string, cwd: string, file: string, found: string | undefined): string {
  if (found !== undefined && sameConfigFile(found, file)) return `ignite ${command}`;
  const named = relative(cwd, file);
  return `ignite ${command} -c ${shellWord(named.startsWith('..') || named === '' ? file : named)}`;
}
