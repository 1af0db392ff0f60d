import type { ControlClient } from '../../control/index.js';
import type { TaskStatus } from '../../core/status.js';
import type { CliContext } from '../context.js';
import { safeWriterFor } from './out.js';

type Render = typeof import('../../render/index.js');

const SETTLED: ReadonlySet<string> = new Set(['ready', 'completed', 'failed', 'blocked', 'stopped']);

export interface Startup {
  rows: TaskStatus[];
  /** A down began before startup settled (`ignite down` from elsewhere, a `shutdown` policy). */
  stopping: boolean;
}

/**
 * Prints the state lines of the daemon's startup until every selected instance is
 * ready, completed, failed, blocked or stopped — a oneshot only once it completed or
 * failed, so that `up -d` returns after the migrations have run — or until the stack
 * begins to stop; returns the last rows.
 */
export async function followStartup(
  ctx: CliContext,
  client: ControlClient,
  inSelection: (row: TaskStatus) => boolean,
  render: Render,
  isOneshot: (row: TaskStatus) => boolean = () => false,
): Promise<Startup> {
  const stream = await client.events();
  let rows: TaskStatus[] = [];
  const check = async (): Promise<boolean> => {
    const status = await client.status();
    if (!status.ok) return true;
    rows = status.value.filter(inSelection);
    return rows.every((row) => SETTLED.has(row.state) && !(row.state === 'ready' && isOneshot(row)));
  };
  if (!stream.ok) {
    await check();
    return { rows, stopping: false };
  }
  let stopping = false;
  const out = safeWriterFor(ctx);
  try {
    if (await check()) return { rows, stopping };
    const formatter = new render.LineFormatter(render.makeColors(ctx.color), rows.map((r) => r.name));
    for await (const event of stream.value) {
      if (event.type === 'task-output' || event.type === 'task-stats') continue;
      const text = formatter.format(event);
      if (text !== undefined) out.write(`${text}\n`);
      if (event.type === 'stack-state' && event.state === 'stopping') {
        stopping = true;
        await check();
        break;
      }
      if ((event.type === 'task-state' || event.type === 'task-ready' || event.type === 'stack-state') && (await check())) break;
    }
  } finally {
    out.flush();
    stream.value.close();
  }
  return { rows, stopping };
}
