import type { SupervisorEvent } from '../../core/events.js';
import type { Result } from '../../core/result.js';
import type { TaskStatus } from '../../core/status.js';
import { pollUntil } from '../../util/poll.js';
import type { CliContext } from '../context.js';
import { safeWriterFor } from './out.js';

type Render = typeof import('../../render/index.js');

const SETTLED: ReadonlySet<string> = new Set(['ready', 'completed', 'failed', 'blocked', 'stopped']);
/** How long the supervisor may leave every status request unanswered before `up -d` gives up on it. */
const SILENCE_MS = 60_000;

/** What the follower needs of a ControlClient. */
export interface StartupClient {
  events(options: { output: boolean }): Promise<Result<AsyncIterable<SupervisorEvent> & { close(): void }, unknown>>;
  status(): Promise<Result<TaskStatus[], unknown>>;
}

export interface Startup {
  rows: TaskStatus[];
  /** A down began before startup settled (`ignite down` from elsewhere, a `shutdown` policy), or the supervisor exited. */
  stopping: boolean;
  /** The supervisor still runs but answered no status request for SILENCE_MS. */
  silent?: true;
  /** Its process exited without a down being announced first. */
  gone?: true;
}

export interface FollowOptions {
  inSelection: (row: TaskStatus) => boolean;
  isOneshot: (row: TaskStatus) => boolean;
  /** Resolves when the supervisor's process exited. */
  exited: Promise<unknown>;
  /**
   * How long a restarted instance must have been up before its `ready` counts (its task's
   * `restart.minUptime`): with no ready strategy a task is ready once spawned, and a task
   * in a crash loop passes through `ready` at each attempt. Default: at once.
   */
  steadyAfterMs?: (row: TaskStatus) => number;
}

/**
 * Prints the state lines of the daemon's startup until every selected instance is
 * ready, completed, failed, blocked or stopped — a oneshot only once it completed or
 * failed, so that `up -d` returns after the migrations have run — or until the stack
 * begins to stop; returns the last rows. It subscribes without task output (however
 * much the tasks print, its stream stays small); a stream that ends or a status request
 * that fails settles nothing: it asks again, backing off, until the supervisor answers
 * or exits.
 */
export async function followStartup(ctx: CliContext, client: StartupClient, render: Render, options: FollowOptions): Promise<Startup> {
  let rows: TaskStatus[] = [];
  let gone = false;
  void options.exited.then(() => (gone = true));
  const steadyIn = (row: TaskStatus, now: number): number => {
    if (row.state !== 'ready' || row.restarts === 0 || row.startedAt === null) return 0;
    return Math.max(0, Date.parse(row.startedAt) + (options.steadyAfterMs?.(row) ?? 0) - now);
  };
  const settled = (now = Date.now()): boolean =>
    rows.every((row) => SETTLED.has(row.state) && !(row.state === 'ready' && options.isOneshot(row)) && steadyIn(row, now) === 0);
  /** When to look again if nothing happens: once the last restarted instance has held for its minUptime. */
  const wakeIn = (): number | undefined => {
    const now = Date.now();
    const waits = rows.map((row) => steadyIn(row, now)).filter((ms) => ms > 0);
    return waits.length === 0 ? undefined : Math.max(...waits);
  };
  const refresh = async (): Promise<boolean> => {
    const status = await client.status();
    if (status.ok) rows = status.value.filter(options.inSelection);
    return status.ok;
  };
  const out = safeWriterFor(ctx);
  let formatter: InstanceType<Render['LineFormatter']> | undefined;
  try {
    for (;;) {
      // subscribe, then read the rows: a change in between is in the stream
      const answer = await pollUntil(
        async () => {
          const stream = await client.events({ output: false });
          if ((await refresh()) && (stream.ok || settled())) return stream;
          if (stream.ok) stream.value.close();
          return gone ? ('gone' as const) : undefined;
        },
        SILENCE_MS,
        options.exited,
      );
      if (answer === undefined) return { rows, stopping: false, silent: true };
      if (answer === 'gone') return { rows, stopping: true, gone: true };
      // (a failed subscription is returned only once settled)
      if (!answer.ok || settled()) {
        if (answer.ok) answer.value.close();
        return { rows, stopping: false };
      }
      formatter ??= new render.LineFormatter(render.makeColors(ctx.color), rows.map((r) => r.name));
      const end = await readUntilSettled(answer.value, formatter, (text) => out.write(`${text}\n`), { refresh, settled, wakeIn });
      if (end !== undefined) return { rows, stopping: end === 'stopping' };
      // the stream ended before startup settled (dropped, or the supervisor is going away): again
    }
  } finally {
    out.flush();
  }
}

interface Progress {
  /** Reads the rows again; false when the supervisor did not answer. */
  refresh: () => Promise<boolean>;
  settled: () => boolean;
  /** ms until the rows may settle with no event (a restarted instance holding), or undefined. */
  wakeIn: () => number | undefined;
}

const WOKE = Symbol('woke');

/** Prints each event; 'settled' or 'stopping' once startup is over, undefined if the stream ended or a status request failed first. */
async function readUntilSettled(
  stream: AsyncIterable<SupervisorEvent> & { close(): void },
  formatter: { format(event: SupervisorEvent): string | undefined },
  print: (text: string) => void,
  progress: Progress,
): Promise<'settled' | 'stopping' | undefined> {
  const events = stream[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<SupervisorEvent>> | undefined;
  try {
    for (;;) {
      pending ??= events.next();
      const next = await nextOrWake(pending, progress.wakeIn());
      if (next === WOKE) {
        if (!(await progress.refresh())) return undefined;
        if (progress.settled()) return 'settled';
        continue;
      }
      pending = undefined;
      if (next.done === true) return undefined;
      const event = next.value;
      if (event.type === 'task-output' || event.type === 'task-stats') continue;
      const text = formatter.format(event);
      if (text !== undefined) print(text);
      if (event.type === 'stack-state' && event.state === 'stopping') {
        await progress.refresh();
        return 'stopping';
      }
      if (event.type !== 'task-state' && event.type !== 'task-ready' && event.type !== 'stack-state') continue;
      // unanswered: ask again from the top rather than wait for an event that may not come
      if (!(await progress.refresh())) return undefined;
      if (progress.settled()) return 'settled';
    }
  } finally {
    stream.close();
  }
}

/** The next event, or WOKE after `wakeInMs` if none came first. */
async function nextOrWake<T>(pending: Promise<T>, wakeInMs: number | undefined): Promise<T | typeof WOKE> {
  if (wakeInMs === undefined) return pending;
  let timer: NodeJS.Timeout | undefined;
  const woke = new Promise<typeof WOKE>((resolve) => (timer = setTimeout(resolve, wakeInMs, WOKE)));
  try {
    return await Promise.race([pending, woke]);
  } finally {
    clearTimeout(timer);
  }
}
