import type { CliContext } from '../context.js';
import { EXIT, print } from '../context.js';
import { connect, reportControlFailure } from '../remote.js';

/** `ignite ps [patterns…] [--json]`. */
export async function psCommand(ctx: CliContext, patterns: string[], options: { config?: string; json?: boolean }): Promise<number> {
  const remote = await connect(ctx, options.config);
  if (!remote.ok) return remote.code;
  const rows = await remote.client.status(patterns.length === 0 ? undefined : patterns);
  if (!rows.ok) return reportControlFailure(ctx, rows.error);
  if (options.json === true) {
    print(ctx, JSON.stringify(rows.value, null, 2));
    return EXIT.ok;
  }
  const { formatStatusTable, makeColors } = await import('../../render/index.js');
  print(ctx, formatStatusTable(rows.value, Date.now(), makeColors(ctx.color)));
  return EXIT.ok;
}
