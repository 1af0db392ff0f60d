import type { CliContext } from '../context.js';
import { EXIT, say } from '../context.js';
import type { StackSpec } from '../../core/model.js';
import { MAX_LOG_LINES, type LogLine } from '../../control/types.js';
import { logFilesOf, readableLogFiles } from '../log-files.js';
import { connect, reportControlFailure } from '../remote.js';

interface LogsOptions {
  config?: string;
  follow?: boolean;
  lines: string;
}

/** `ignite logs [patterns…] [-f] [-n N]`: history from the log files, then live lines; with no stack running, the files alone. */
export async function logsCommand(ctx: CliContext, patterns: string[], options: LogsOptions): Promise<number> {
  const lines = Number(options.lines);
  if (!Number.isInteger(lines) || lines < 0) {
    say(ctx, `-n expects a whole number of lines, got "${options.lines}"`);
    return EXIT.invalid;
  }
  // the supervisor bounds what one request may read; the files alone get the same bound
  if (lines > MAX_LOG_LINES) {
    say(ctx, `-n is at most ${MAX_LOG_LINES} lines (of each stream of each task), got ${options.lines}`);
    return EXIT.invalid;
  }
  // with no stack running, history still comes from the files; following needs a supervisor
  const offline = options.follow === true ? undefined : (stack: StackSpec) => fromFiles(ctx, stack, patterns, lines);
  const connected = await connect(ctx, options.config, offline);
  if (!connected.ok) return connected.code;
  const remote = connected.client;
  const selected = patterns.length === 0 ? undefined : patterns;
  const { LineFormatter, makeColors, safeWriter } = await import('../../render/index.js');
  const out = safeWriter(ctx.stdout);
  const status = await remote.status(selected);
  const names = status.ok ? status.value.flatMap((row) => [row.name, row.task]) : [];
  const formatter = new LineFormatter(makeColors(ctx.color), names);
  const print = (history: readonly LogLine[]): void => {
    for (const entry of history) out.write(`${formatter.output(entry.task, entry.line)}\n`);
  };
  const query = selected === undefined ? { lines } : { patterns: selected, lines };
  if (options.follow !== true) {
    const history = await remote.logs(query);
    if (!history.ok) return reportControlFailure(ctx, history.error);
    print(history.value);
    return EXIT.ok;
  }
  // one stream: the history first, then the live lines from exactly the next one on
  const stream = await remote.follow(query);
  if (!stream.ok) return reportControlFailure(ctx, stream.error);
  out.onClose(() => stream.value.close());
  for await (const record of stream.value) {
    if (record.type === 'history') print(record.lines);
    if (record.type === 'task-output') out.write(`${formatter.outputLines(record.task, record.lines, record.stream)}\n`);
    if (out.closed) break;
  }
  return EXIT.ok;
}

/** No supervisor: the last lines of each selected task's log files, read straight from the config's paths. */
async function fromFiles(ctx: CliContext, stack: StackSpec, patterns: string[], lines: number): Promise<number> {
  const [{ selectTasks }, { LineFormatter, makeColors, safeWriter }, { formatFailure }, { tailStreams }] = await Promise.all([
    import('../../graph/index.js'),
    import('../../render/index.js'),
    import('../../core/failure-text.js'),
    import('../../control/index.js'),
  ]);
  const selected = selectTasks(stack.tasks, patterns);
  if (!selected.ok) {
    say(ctx, formatFailure(selected.error));
    return EXIT.invalid;
  }
  say(ctx, `no stack is running for ${stack.stateDir}; the last lines of its log files:`);
  const out = safeWriter(ctx.stdout);
  const formatter = new LineFormatter(makeColors(ctx.color), selected.value);
  const silent: string[] = [];
  for (const task of selected.value) {
    const files = await readableLogFiles(logFilesOf(stack, task));
    for (const { file, why } of files.skipped) say(ctx, `skipped ${file}: ${why}`);
    const tail = await tailStreams(files.streams, lines);
    if (tail.length === 0) silent.push(task);
    for (const line of tail) out.write(`${formatter.output(task, line)}\n`);
  }
  out.flush();
  if (silent.length > 0 && lines > 0) say(ctx, `no lines logged by ${silent.join(', ')}`);
  return EXIT.ok;
}
