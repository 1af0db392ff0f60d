/**
 * A task's output line as ignite shows it, after its `name | ` prefix. A child writes for
 * a terminal of its own: a `\r` progress bar redraws over the start of its line, a
 * colour left on spills into every line after it, a cursor move or a screen clear lands
 * on other tasks' lines. Shown under a prefix, among other tasks' lines, only the text
 * and its colours keep their meaning: the line keeps what follows its last `\r` (what
 * the terminal would end up showing), its colours (SGR, when colours are on, reset at
 * the end of the line), and tabs; other escape sequences and control characters go.
 * The log files keep the bytes as the task wrote them.
 */
import type { Failure } from '../core/failure.js';
import { describeFailure, type DescribeOptions } from '../core/failure-text.js';
import { lastRedraw, needsCleaning, SEQUENCE } from '../util/terminal-line.js';

const RESET = '\u001b[0m';
const isColour = (sequence: string): boolean => sequence.startsWith('\u001b[') && sequence.endsWith('m');

export function displayLine(line: string, colors: boolean): string {
  return needsCleaning(line) ? withoutControls(lastRedraw(line), colors) : line;
}

/** The text with its colours (when on, reset at its end) and tabs, and no other escape or control. */
function withoutControls(text: string, colors: boolean): string {
  const shown = text.replace(SEQUENCE, (sequence) => (colors && isColour(sequence) ? sequence : ''));
  // what is left of the escapes is colours: end them with the text
  return shown.includes('\u001b') ? shown + RESET : shown;
}

/** The lines as shown; the same array when none needs a change (the common case: no allocation). */
export function displayLines(lines: readonly string[], colors: boolean): readonly string[] {
  if (!lines.some(needsCleaning)) return lines;
  return lines.map((line) => displayLine(line, colors));
}

/**
 * Each line of a message that may quote a task's output (a health check's, a `ps` row's), without
 * escapes or controls. Its `\r` is dropped, not redrawn: what comes before it is ignite's own text.
 */
export function displayText(text: string, colors: boolean): string {
  return needsCleaning(text) ? text.split('\n').map((line) => withoutControls(line, colors)).join('\n') : text;
}

/** `describeFailure`, its quoted output lines shown as `displayLine` shows them (each under its `│`). */
export function describeShown(failure: Failure, colors: boolean, options?: DescribeOptions): string {
  const shown = 'lastLines' in failure ? { ...failure, lastLines: [...displayLines(failure.lastLines, colors)] } : failure;
  return displayText(describeFailure(shown, options), colors);
}
