/**
 * Rules that ask the machine: folders, accounts, CPUs. A task's cwd may be made by
 * an earlier oneshot and ignite may later run as root, so those are warnings.
 */
import { dirname } from 'node:path';
import { error, warning, type Diagnostic } from '../core/diagnostics.js';
import type { Host } from './host.js';
import type { Rule } from './rules.js';

export const cwdExists: Rule = (ctx, out) => {
  for (const { index, input, spec } of ctx.tasks) {
    if (input.cwd === undefined) continue;
    const kind = ctx.host.pathKind(spec.cwd);
    if (kind === 'missing') out.push(warning(`tasks[${index}].cwd`, `folder not found: ${spec.cwd} (a task that creates it must run first)`));
    if (kind === 'other') out.push(error(`tasks[${index}].cwd`, `not a folder: ${spec.cwd}`));
  }
};

/**
 * The nearest existing folder-to-be on the way to `path` that is not a folder (`afile` for
 * `afile/x.log`): ignite cannot create `path` there. Undefined when nothing in the way is a file.
 */
function fileInTheWay(host: Host, path: string): string | undefined {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const kind = host.pathKind(dir);
    if (kind === 'other') return dir;
    if (kind === 'folder' || dirname(dir) === dir) return undefined;
  }
}

export const stateDirIsFolder: Rule = (ctx, out) => {
  const { path, given } = ctx.stateDir;
  const where = given ? '' : ' (the default stateDir)';
  const kind = ctx.host.pathKind(path);
  if (kind === 'other') {
    out.push(error('stateDir', `not a folder: ${path}${where}`));
    return;
  }
  const file = kind === 'missing' ? fileInTheWay(ctx.host, path) : undefined;
  if (file !== undefined) out.push(error('stateDir', `cannot be created: ${file} is not a folder${where}`));
};

/** A log file the user named must be a file ignite can create or write: not a folder, not under a file. */
export const logFilesWritable: Rule = (ctx, out) => {
  for (const { index, input, spec } of ctx.tasks) {
    if (input.logs?.file === undefined) continue;
    for (const file of spec.logs.errFile === undefined ? [spec.logs.file] : [spec.logs.file, spec.logs.errFile]) {
      const kind = ctx.host.pathKind(file);
      const inTheWay = kind === 'missing' ? fileInTheWay(ctx.host, file) : undefined;
      if (kind === 'folder') out.push(error(`tasks[${index}].logs.file`, `a folder, not a log file: ${file}`));
      if (inTheWay !== undefined) out.push(error(`tasks[${index}].logs.file`, `cannot create ${file}: ${inTheWay} is not a folder`));
    }
  }
};

export const knownAccounts: Rule = (ctx, out) => {
  for (const { index, spec } of ctx.tasks) {
    if (spec.user !== undefined) checkAccount(ctx.host, 'user', spec.user, `tasks[${index}].user`, out);
    if (spec.group !== undefined) checkAccount(ctx.host, 'group', spec.group, `tasks[${index}].group`, out);
  }
};

function checkAccount(host: Host, kind: 'user' | 'group', given: string | number, path: string, out: Diagnostic[]): void {
  const id = kind === 'user' ? host.userId(given) : host.groupId(given);
  const named = typeof given === 'string' ? JSON.stringify(given) : String(given);
  if (id === null) {
    out.push(error(path, `unknown ${kind} ${named}`));
    return;
  }
  const mine = kind === 'user' ? host.uid : host.gid;
  if (id === undefined || host.uid === undefined || host.uid === 0 || id === mine) return;
  const who = kind === 'user' && typeof given === 'string' ? named : `${kind} ${named}`;
  out.push(warning(path, `running as ${who} needs ignite to run as root`));
}

export const onlineCpus: Rule = (ctx, out) => {
  let online: ReturnType<Host['cpus']> | undefined;
  for (const { index, spec } of ctx.tasks) {
    spec.cpus?.forEach((cpu, k) => {
      online ??= ctx.host.cpus();
      if (!online.ids.has(cpu)) out.push(error(`tasks[${index}].cpus[${k}]`, `no CPU ${cpu} on this machine (${online.ids.size === 1 ? 'CPU' : 'CPUs'} ${online.text})`));
    });
  }
};

export const HOST_RULES: readonly Rule[] = [stateDirIsFolder, cwdExists, logFilesWritable, knownAccounts, onlineCpus];
