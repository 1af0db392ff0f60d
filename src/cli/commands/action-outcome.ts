/**
 * What `ignite start|stop|restart|kill` tells the user: which tasks it acted on,
 * which needed nothing (already running, not running), and which failed or were
 * blocked — with the exit code that goes with it. Pure: rows in, lines out.
 */
import type { TaskStatus } from '../../core/status.js';
import type { TaskState } from '../../core/states.js';
import { EXIT } from '../context.js';

export type Verb = 'start' | 'stop' | 'restart' | 'kill';

export interface Outcome {
  lines: string[];
  code: number;
}

// a task in backoff is started at once by `start` (its wait cancelled): not "already running"
const UNDER_WAY: ReadonlySet<TaskState> = new Set(['pending', 'starting', 'ready']);
const NOT_RUNNING: ReadonlySet<TaskState> = new Set(['idle', 'completed', 'stopped', 'failed', 'blocked']);
const NO_PROCESS: ReadonlySet<TaskState> = new Set([...NOT_RUNNING, 'pending', 'backoff']);
const GAVE_UP: ReadonlySet<TaskState> = new Set(['failed', 'blocked']);

/** The states in which the verb has nothing to do (restart always acts). */
const NOTHING_TO_DO: Record<Verb, ReadonlySet<TaskState>> = { start: UNDER_WAY, stop: NOT_RUNNING, kill: NO_PROCESS, restart: new Set() };

/**
 * `before`: the selection's rows before the action; `acted`: the names the supervisor
 * acted on; `after`: their rows once it answered (start/restart wait for startup to
 * settle). `did` says what was done: "started", "sent SIGTERM to".
 */
export function describeOutcome(verb: Verb, did: string, rows: { before: readonly TaskStatus[]; acted: readonly string[]; after: readonly TaskStatus[] }): Outcome {
  const untouched = rows.before.filter((row) => NOTHING_TO_DO[verb].has(row.state));
  const skipped = new Set(untouched.map((row) => row.name));
  const starts = verb === 'start' || verb === 'restart';
  const gaveUp = starts ? gaveUpRows(rows.after).filter((row) => !skipped.has(row.name)) : [];
  // another request overtook the start: a stop (or a reload that removed the task) came before it was up
  const overtaken = starts ? overtakenLines(rows.acted.filter((name) => !skipped.has(name)), rows.after) : new Map<string, string>();
  const failed = new Set([...gaveUp.map((row) => row.name), ...overtaken.keys()]);
  const done = rows.acted.filter((name) => !skipped.has(name) && !failed.has(name));
  const lines: string[] = [];
  if (done.length > 0) lines.push(`${did} ${done.join(', ')}`);
  if (untouched.length > 0) lines.push(`${verb === 'start' ? 'already running' : 'not running'}: ${untouched.map(withState).join(', ')}`);
  lines.push(...gaveUp.map(gaveUpLine), ...overtaken.values());
  if (lines.length === 0) lines.push(`nothing to ${verb}`);
  const nothingSignalled = verb === 'kill' && rows.acted.length === 0;
  return { lines, code: failed.size > 0 || nothingSignalled ? EXIT.failed : EXIT.ok };
}

/** The rows of tasks that failed or are blocked: what a start that waited must report. */
export function gaveUpRows(rows: readonly TaskStatus[]): TaskStatus[] {
  return rows.filter((row) => GAVE_UP.has(row.state));
}

/** `migrate failed: exited with code 7`. */
export function gaveUpLine(row: TaskStatus): string {
  return `${row.name} ${row.state}: ${row.message ?? ''}`.trimEnd();
}

/** Started instances that are not up after all: stopped meanwhile, or gone from the stack. */
function overtakenLines(names: readonly string[], after: readonly TaskStatus[]): Map<string, string> {
  const rows = new Map(after.map((row) => [row.name, row]));
  const lines = new Map<string, string>();
  for (const name of names) {
    const row = rows.get(name);
    if (row === undefined) lines.set(name, `${name} is no longer in the stack (a reload removed it)`);
    else if (row.state === 'stopped') lines.set(name, `${name} stopped before it was up: another request (a stop, a reload) stopped it`);
  }
  return lines;
}

function withState(row: TaskStatus): string {
  return `${row.name} (${row.state})`;
}
