import type { Command, TaskSpec } from '../core/model.js';
import { describeReady } from '../core/ready-spec.js';
import { unreachable } from '../core/result.js';
import { formatDuration } from '../util/duration.js';
import { shellWord } from '../util/shell-word.js';

/** `name (3 replicas)`: ASCII, since WASM Graphviz warns on stderr about any non-ASCII label. */
export function taskTitle(task: TaskSpec): string {
  return task.replicas > 1 ? `${task.name} (${task.replicas} replicas)` : task.name;
}

/** A command as a person would type it (display only, never executed). */
export function formatCommand(command: Command): string {
  switch (command.kind) {
    case 'shell':
      return command.script;
    case 'exec':
      return [command.file, ...command.args].map(shellWord).join(' ');
    default:
      return unreachable(command);
  }
}

/** The lines of a task's detailed tooltip: command, readiness, restart policy, stop. */
export function taskDetails(task: TaskSpec): string[] {
  const lines = [
    `command: ${formatCommand(task.command)}`,
    `ready: ${describeReady(task.ready)} (timeout ${formatDuration(task.readyTimeoutMs)})`,
    `restart: ${describeRestart(task)}`,
    `stop: ${task.stop.signal}, timeout ${formatDuration(task.stop.timeoutMs)}${task.stop.command === undefined ? '' : `, command: ${formatCommand(task.stop.command)}`}`,
  ];
  if (task.health !== undefined) {
    lines.push(`health: ${describeReady(task.health.check)} every ${formatDuration(task.health.intervalMs)}, ${task.health.retries} retries`);
  }
  if (task.oneshot) lines.push('oneshot');
  if (!task.autostart) lines.push('autostart: false');
  return lines;
}

function describeRestart(task: TaskSpec): string {
  const { policy, maxRestarts, backoffMs, maxBackoffMs } = task.restart;
  if (policy === 'never' || maxRestarts === 0) return policy === 'never' ? 'never' : `${policy}, no restarts`;
  return `${policy}, max ${maxRestarts}, backoff ${formatDuration(backoffMs)}..${formatDuration(maxBackoffMs)}`;
}
