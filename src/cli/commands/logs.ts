import type { CliContext } from '../context.js';
import { EXIT, say } from '../context.js';
import { connect, reportControlFailure } from '../remote.js';

interface LogsOptions {
  config?: string;
  follow?: boolean;
  lines: string;
}

/** `ignite logs [patterns…] [-f] [-n N]`: history from the log files, then live lines. */
export async function logsCommand(ctx: CliContext, patterns: string[], options: LogsOptions): Promise<number> {
  const lines = Number(options.lines);
  if (!Number.isInteger(lines) || lines < 0) {
    say(ctx, `-n expects a whole number of lines, got "${options.lines}"`);
    return EXIT.invalid;
  }
  const remote = await connect(ctx, options.config);
  if (!remote.ok) return remote.code;
  const selected = patterns.length === 0 ? undefined : patterns;
  const { LineFormatter, makeColors, safeWriter } = await import('../../render/index.js');
  const out = safeWriter(ctx.stdout);
  // subscribe before reading history, so no line falls between the two
  const stream = options.follow === true ? await remote.client.events(selected === undefined ? {} : { patterns: selected }) : undefined;
  if (stream !== undefined && !stream.ok) return reportControlFailure(ctx, stream.error);
  const history = await remote.client.logs(selected === undefined ? { lines } : { patterns: selected, lines });
  if (!history.ok) {
    stream?.value.close();
    return reportControlFailure(ctx, history.error);
  }
  const status = await remote.client.status(selected);
  const names = status.ok ? status.value.map((row) => row.name) : history.value.map((l) => l.task);
  const formatter = new LineFormatter(makeColors(ctx.color), names);
  for (const entry of history.value) out.write(`${formatter.output(entry.task, entry.line)}\n`);
  if (stream === undefined) return EXIT.ok;
  out.onClose(() => stream.value.close());
  for await (const event of stream.value) {
    if (event.type === 'task-output') out.write(`${formatter.outputLines(event.task, event.lines, event.stream)}\n`);
    if (out.closed) break;
  }
  return EXIT.ok;
}
