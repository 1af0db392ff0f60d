import type { ReloadSummary } from '../../core/model.js';
import type { CliContext } from '../context.js';
import { EXIT, say } from '../context.js';
import { loadStack } from '../load.js';
import { reportControlFailure } from '../remote.js';
import { sameConfigFile } from '../other-stack.js';
import { shellWord } from '../../util/shell-word.js';
import { gaveUpLine, gaveUpRows } from './action-outcome.js';

/**
 * `ignite reload [-c file]`: the running stack loads its config file again and applies
 * it — new tasks start, changed ones restart, removed ones stop, the rest run on
 * (supervisorctl's reread + update). The config is checked here first, so its
 * problems reach this terminal and nothing changes (exit 2).
 */
export async function reloadCommand(ctx: CliContext, options: { config?: string }): Promise<number> {
  const loaded = await loadStack(ctx, options.config);
  if (!loaded.ok) return loaded.code;
  const { ControlClient } = await import('../../control/index.js');
  const client = await ControlClient.connect(loaded.stack.stateDir);
  if (!client.ok) {
    const code = reportControlFailure(ctx, client.error);
    if (client.error.reason === 'not-running') say(ctx, 'if the config now names another stateDir, a reload cannot move the stack: `ignite down` with the old one, then `ignite up -d`');
    return code;
  }
  const running = client.value.supervisor?.configFile;
  if (running !== undefined && !sameConfigFile(running, loaded.stack.file)) {
    say(ctx, `the stack here runs ${running}, and a reload applies that file: edit it, or \`ignite down -c ${shellWord(running)}\` and start ${loaded.stack.file}`);
    return EXIT.invalid;
  }
  const reloaded = await client.value.reload();
  if (!reloaded.ok) return reportControlFailure(ctx, reloaded.error);
  for (const line of describeReload(reloaded.value)) say(ctx, line);
  const started = reloaded.value.started;
  const rows = started.length === 0 ? { ok: true as const, value: [] } : await client.value.status(started);
  const gaveUp = rows.ok ? gaveUpRows(rows.value) : [];
  for (const row of gaveUp) say(ctx, gaveUpLine(row));
  return gaveUp.length > 0 ? EXIT.failed : EXIT.ok;
}

export function describeReload(summary: ReloadSummary): string[] {
  const started = new Set(summary.started);
  const mark = (name: string, done: string, otherwise = ''): string => (started.has(name) ? `${name} (${done})` : `${name}${otherwise}`);
  const lines = [
    ...(summary.added.length > 0 ? [`added: ${summary.added.map((name) => mark(name, 'started')).join(', ')}`] : []),
    ...(summary.changed.length > 0 ? [`changed: ${summary.changed.map((name) => mark(name, 'restarted', ' (was not running: left stopped)')).join(', ')}`] : []),
    ...(summary.removed.length > 0 ? [`removed: ${summary.removed.map((name) => `${name} (stopped)`).join(', ')}`] : []),
  ];
  if (lines.length === 0) lines.push(`nothing changed (${summary.unchanged.length} ${summary.unchanged.length === 1 ? 'task' : 'tasks'})`);
  else if (summary.unchanged.length > 0) lines.push(`unchanged: ${summary.unchanged.join(', ')}`);
  if (summary.followed.length > 0) lines.push(`restarted with what they depend on (restart: true): ${summary.followed.join(', ')}`);
  if (summary.pulledIn.length > 0) lines.push(`started, as new or changed tasks need them: ${summary.pulledIn.join(', ')}`);
  if (summary.notApplied.length > 0) {
    lines.push(`not applied to the running stack: ${summary.notApplied.join(', ')} (they take effect at the next \`ignite up\`)`);
  }
  return lines;
}
