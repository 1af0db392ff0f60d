/** Config problems as a person reads them: plain text, no colours (the CLI may add them). */
import { relative } from 'node:path';
import type { Diagnostic, LoadFailure } from '../core/diagnostics.js';
import { unreachable } from '../core/result.js';
import { formatDuration } from '../util/duration.js';

/**
 * ```
 * ✖ ignite.config.ts: 2 problems
 *   tasks[1].dependsOn[0]: unknown task "dbb" — did you mean "db"?
 * ```
 * Errors first, then warnings (`⚠`); a hint goes on its own line under its problem.
 */
export function formatDiagnostics(file: string, diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  const lines: string[] = [];
  if (errors.length > 0) lines.push(`✖ ${file}: ${count(errors.length, 'problem')}`, ...errors.flatMap(line));
  if (warnings.length > 0) lines.push(`⚠ ${file}: ${count(warnings.length, 'warning')}`, ...warnings.flatMap(line));
  return lines.join('\n');
}

function line(d: Diagnostic): string[] {
  const text = d.path === '' ? `  ${d.message}` : `  ${d.path}: ${d.message}`;
  return d.hint === undefined ? [text] : [text, `    hint: ${d.hint}`];
}

export interface FormatOptions {
  debug: boolean;
  cwd: string;
}

export function formatLoadFailure(failure: LoadFailure, options: FormatOptions): string {
  const show = (file: string): string => displayPath(file, options.cwd);
  switch (failure.reason) {
    case 'not-found':
      return `✖ no ${configNames(failure.names)} found in ${failure.searchedFrom} or any parent folder — run \`npx --no ignite init\` to create one`;
    case 'missing-file':
      return `✖ config file not found: ${show(failure.file)}`;
    case 'folder-without-config':
      return `✖ ${show(failure.file)} is a folder with no ${configNames(failure.names)} in it: pass a config file`;
    case 'unsupported-format': {
      const format = failure.extension === '' ? 'a name without an extension' : `"${failure.extension}"`;
      return `✖ ${show(failure.file)}: unsupported config format ${format}: use ${configNames(failure.names)}`;
    }
    case 'missing-package': {
      const dev = failure.package === 'ignite-run' ? '-D ' : '';
      return `✖ ${show(failure.file)} imports "${failure.package}", which is not installed here: run npm install ${dev}${failure.package}`;
    }
    case 'unsettled': {
      const what = failure.waitingFor === 'import' ? 'a top-level await in it' : 'the promise its default export returned';
      if (failure.withinMs !== undefined) {
        return `✖ ${show(failure.file)}: the config did not finish loading within ${formatDuration(failure.withinMs)}: ${what} is still waiting`;
      }
      return `✖ ${show(failure.file)}: the config never finished loading: ${what} did not settle`;
    }
    case 'syntax': {
      const at = failure.location;
      const where = at === undefined ? show(failure.file) : `${show(at.file)}:${at.line}:${at.column}`;
      const lines = [`✖ ${where}: syntax error: ${failure.message}`];
      if (at?.lineText !== undefined) lines.push(`    ${at.lineText}`, `    ${' '.repeat(Math.max(0, at.column - 1))}^`);
      if (failure.detail !== undefined) lines.push(indent(failure.detail));
      return lines.join('\n');
    }
    case 'threw': {
      const head = `✖ ${show(failure.file)}: the config threw while loading: ${failure.message}`;
      if (options.debug && failure.stack !== undefined) return `${head}\n${indent(failure.stack)}`;
      return `${head}\n  (run with --debug for the stack trace)`;
    }
    case 'no-export': {
      const what = failure.exported.length === 0 ? 'it exports nothing' : `it exports only ${failure.exported.map((n) => `\`${n}\``).join(', ')}`;
      return `✖ ${show(failure.file)}: no config exported (${what}) — add \`export default defineConfig({ tasks: [...] })\``;
    }
    case 'invalid':
      return formatDiagnostics(show(failure.file), failure.diagnostics);
    default:
      return unreachable(failure);
  }
}

/** `ignite.config.ts, .mts, .js or .json`: the first name whole, then the other extensions. */
function configNames(names: readonly string[]): string {
  const [first = '', ...rest] = names;
  const all = [first, ...rest.map((name) => name.slice(name.lastIndexOf('.')))];
  return all.length === 1 ? first : `${all.slice(0, -1).join(', ')} or ${all.at(-1) ?? ''}`;
}

/** Relative to cwd when the file is inside it, else absolute. */
export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}

const indent = (text: string): string =>
  text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
