import type { SupervisorEvent } from '../core/events.js';
import { unreachable } from '../core/result.js';
import { formatDuration } from '../util/duration.js';
import type { Colors } from './colors.js';
import { nameColor } from './colors.js';
import { exitText } from '../core/failure-text.js';
import { describeShown, displayLine, displayLines, displayText } from './terminal-text.js';

/**
 * Turns supervisor events into the plain view's text: `name | line` for output,
 * `name ● ready in 1.2s` for state changes. Returns undefined for events it does
 * not show. The name column is padded to the longest known task name.
 */
export class LineFormatter {
  private width = 0;
  private readonly names = new Map<string, string>();
  /** Tasks being stopped on request: their exit is expected, not news. */
  private readonly stopping = new Set<string>();
  /** Tasks whose last health check passed: another pass is not news. */
  private readonly healthy = new Set<string>();

  constructor(
    private readonly colors: Colors,
    names: readonly string[],
  ) {
    for (const name of names) this.width = Math.max(this.width, name.length);
  }

  /** `name   | text` (one line, no newline). */
  output(task: string, line: string, stream: 'stdout' | 'stderr' = 'stdout'): string {
    return this.outputPrefix(task, stream) + displayLine(line, this.colors.isColorSupported);
  }

  /** Each line as `name   | text`, joined by newlines (no final newline); the prefix is made once. */
  outputLines(task: string, lines: readonly string[], stream: 'stdout' | 'stderr' = 'stdout'): string {
    const prefix = this.outputPrefix(task, stream);
    return prefix + displayLines(lines, this.colors.isColorSupported).join(`\n${prefix}`);
  }

  private outputPrefix(task: string, stream: 'stdout' | 'stderr'): string {
    const bar = stream === 'stderr' ? this.colors.red('|') : this.colors.dim('|');
    return `${this.name(task)} ${bar} `;
  }

  /** `name   ● text`, further lines of `text` indented under it. */
  state(task: string, symbol: string, text: string): string {
    const indent = ' '.repeat(this.width + 3);
    return `${this.name(task)} ${symbol} ${text.split('\n').join(`\n${indent}`)}`;
  }

  format(event: SupervisorEvent): string | undefined {
    const c = this.colors;
    switch (event.type) {
      case 'task-output':
        return this.outputLines(event.task, event.lines, event.stream);
      case 'task-waiting':
        return this.state(event.task, c.dim('●'), c.dim(`waiting for ${event.on}`));
      case 'task-spawn':
        return this.state(event.task, c.dim('●'), c.dim(`started (pid ${event.pid})`));
      case 'task-ready':
        return this.state(event.task, c.green('●'), c.green(`ready in ${formatDuration(event.elapsedMs)}`));
      case 'task-exit':
        // a clean exit says nothing the following state line (completed, stopped) does not
        if ((event.code === 0 && event.signal === null) || this.stopping.has(event.task)) return undefined;
        return this.state(event.task, c.dim('●'), c.dim(`${exitText(event.code, event.signal)} after ${formatDuration(event.uptimeMs)}`));
      case 'task-restart':
        return this.state(event.task, c.yellow('↻'), c.yellow(`restarting in ${formatDuration(event.delayMs)} (attempt ${event.attempt})`));
      case 'task-health':
        return this.health(event);
      case 'task-warning':
        return this.state(event.task, c.yellow('⚠'), c.yellow(this.quoting(event.message)));
      case 'task-state':
        return this.stateChange(event);
      case 'task-stats':
      case 'stack-state':
        return undefined;
      default:
        return unreachable(event);
    }
  }

  /** The first pass, each failure, and the pass that ends a run of failures; not every pass. */
  private health(event: Extract<SupervisorEvent, { type: 'task-health' }>): string | undefined {
    const c = this.colors;
    if (!event.healthy) {
      this.healthy.delete(event.task);
      return this.state(event.task, c.red('♥'), c.red(`health check failed (${event.failures}): ${this.quoting(event.message ?? 'no message')}`));
    }
    if (this.healthy.has(event.task)) return undefined;
    this.healthy.add(event.task);
    return this.state(event.task, c.green('♥'), c.green('healthy'));
  }

  private stateChange(event: Extract<SupervisorEvent, { type: 'task-state' }>): string | undefined {
    const c = this.colors;
    if (event.state === 'stopping') this.stopping.add(event.task);
    else this.stopping.delete(event.task);
    // a new attempt's first pass is news again
    if (event.state === 'starting') this.healthy.delete(event.task);
    switch (event.state) {
      case 'completed':
        return this.state(event.task, c.green('✔'), c.green('completed'));
      case 'failed':
        return this.state(event.task, c.red('✖'), c.red(`failed${event.failure === undefined ? '' : `: ${describeShown(event.failure, this.colors.isColorSupported)}`}`));
      case 'blocked':
        return this.state(event.task, c.yellow('⊘'), c.yellow(`blocked${event.failure === undefined ? '' : `: ${describeShown(event.failure, this.colors.isColorSupported)}`}`));
      case 'stopping':
        // stopped for a failed readiness or health check: say which, before the restart line
        if (event.failure !== undefined) return this.state(event.task, c.yellow('■'), c.yellow(`stopping: ${describeShown(event.failure, this.colors.isColorSupported, { output: false })}`));
        return this.state(event.task, c.dim('■'), c.dim('stopping'));
      case 'stopped':
        return this.state(event.task, c.dim('■'), c.dim('stopped'));
      case 'backoff':
        return this.cleanExitFailed(event);
      case 'idle':
      case 'pending':
      case 'starting':
      case 'ready':
        return undefined;
      default:
        return unreachable(event.state);
    }
  }

  /**
   * Why a clean exit is restarted (too quick, or before it was ready): its task-exit
   * line was left out, and `restarting in …` alone would not say.
   */
  private cleanExitFailed(event: Extract<SupervisorEvent, { type: 'task-state' }>): string | undefined {
    const failure = event.failure;
    if (failure?.reason !== 'too-quick' && failure?.reason !== 'exited') return undefined;
    if (failure.code !== 0 || failure.signal !== null) return undefined;
    return this.state(event.task, this.colors.dim('●'), this.colors.dim(describeShown(failure, this.colors.isColorSupported, { output: false })));
  }

  /** A message that may quote the task's output, shown as its lines are. */
  private quoting(text: string): string {
    return displayText(text, this.colors.isColorSupported);
  }

  /** The coloured, padded name; cached, as output lines ask for it at every read. */
  private name(task: string): string {
    if (task.length > this.width) {
      this.width = task.length;
      this.names.clear();
    }
    let name = this.names.get(task);
    if (name === undefined) {
      name = nameColor(this.colors, task)(task.padEnd(this.width));
      this.names.set(task, name);
    }
    return name;
  }
}
