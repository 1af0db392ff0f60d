/**
 * The lines a failure quotes when a task exits. npm, between ignite and the program in
 * `npm run dev`, ends a failed script in a workspace package with its own report
 * (`npm error Lifecycle script \`dev\` failed with error:`, then code, path, workspace,
 * location, command: 7 lines; `npm ERR! …` before npm 10), which filled the quote and hid
 * the program's own last words (`Error: listen EADDRINUSE`). That report says nothing the
 * failure does not (the exit code), and the log file keeps it.
 */
import { plainLine } from '../../util/terminal-line.js';

const NPM_REPORT = /^npm (?:error|ERR!)(?: |$)/;

export function lastOwnLines(lines: readonly string[], count: number): string[] {
  let end = lines.length;
  while (end > 0 && NPM_REPORT.test(plainLine(lines[end - 1] ?? ''))) end--;
  // only npm spoke: its report is all there is to quote
  if (end === 0) end = lines.length;
  return lines.slice(Math.max(0, end - count), end);
}
