import { Listr, ProcessOutput } from 'listr2';
import type { ListrTaskWrapper, ListrDefaultRenderer, ListrSimpleRenderer } from 'listr2';
import type { SupervisorEvent } from '../core/events.js';
import { unreachable } from '../core/result.js';
import { formatDuration } from '../util/duration.js';
import { makeColors } from './colors.js';
import { LineFormatter } from './lines.js';
import { HeldLines } from './held-lines.js';
import { describeShown, displayLine } from './terminal-text.js';
import { createPlainRenderer } from './plain.js';
import { ThrottledRenderer } from './throttled-renderer.js';
import type { Renderer, RendererOptions } from './types.js';

type Wrapper = ListrTaskWrapper<unknown, ListrDefaultRenderer, ListrSimpleRenderer>;

interface Entry {
  name: string;
  wrapper: Wrapper | undefined;
  /** The final outcome, once known; applied when listr runs the task if it has not yet. */
  outcome: Outcome | undefined;
  settle: ((outcome: Outcome) => void) | undefined;
  pendingTitle: string | undefined;
  /** A process was started for it: a view ending now leaves it running, not "not started". */
  spawned: boolean;
}

type Outcome = { kind: 'ok'; title: string } | { kind: 'skip'; title: string } | { kind: 'fail'; message: string };

/**
 * listr2 shows concurrent startup: one line per instance (`waiting for db`, then
 * `ready in 1.2s`). listr2 is a view only: the supervisor's events resolve its
 * tasks. Output lines are buffered while the view runs and flushed, prefixed,
 * when it ends; after that everything goes through the plain renderer.
 */
export function createPrettyRenderer(
  options: Omit<RendererOptions, 'out'> & { out: NodeJS.WriteStream; isTTY: boolean },
): Renderer {
  // one formatter for the list's buffered lines and the plain lines after it: what it has
  // shown (a task's health, a stop under way) carries over
  const formatter = new LineFormatter(makeColors(options.color), options.names);
  const plain = createPlainRenderer(options, formatter);
  const width = Math.max(0, ...options.names.map((n) => n.length));
  const entries = new Map<string, Entry>();
  const oneshots = new Set(options.oneshots ?? []);
  const held = new HeldLines((task, count) => formatter.state(task, '…', `${String(count)} lines not shown (in its log file)`));
  let live = true;

  const tasks = options.names.map((name) => ({
    title: name,
    task: (_ctx: unknown, wrapper: Wrapper) =>
      new Promise<void>((resolve, reject) => {
        const entry = entryOf(name);
        entry.wrapper = wrapper;
        if (entry.pendingTitle !== undefined) wrapper.title = entry.pendingTitle;
        entry.settle = (outcome) => {
          if (outcome.kind === 'fail') reject(new Error(outcome.message));
          else {
            if (outcome.kind === 'skip') wrapper.skip(outcome.title);
            else wrapper.title = outcome.title;
            resolve();
          }
        };
        if (entry.outcome !== undefined) entry.settle(entry.outcome);
      }),
  }));

  function entryOf(name: string): Entry {
    let entry = entries.get(name);
    if (entry === undefined) {
      entry = { name, wrapper: undefined, outcome: undefined, settle: undefined, pendingTitle: undefined, spawned: false };
      entries.set(name, entry);
    }
    return entry;
  }

  /** Records the outcome once; listr's task settles now, or as soon as listr starts it. */
  function finish(entry: Entry, outcome: Outcome): void {
    if (entry.outcome !== undefined) return;
    entry.outcome = outcome;
    entry.settle?.(outcome);
  }

  const title = (name: string, text: string): string => `${name.padEnd(width)}  ${text}`;
  const setTitle = (name: string, text: string): void => {
    const entry = entryOf(name);
    if (entry.outcome !== undefined) return;
    if (entry.wrapper === undefined) entry.pendingTitle = title(name, text);
    else entry.wrapper.title = title(name, text);
  };

  const list = new Listr(tasks, {
    concurrent: true,
    exitOnError: false,
    registerSignalListeners: false,
    fallbackRendererCondition: () => !options.isTTY,
    renderer: ThrottledRenderer,
    rendererOptions: { outputBar: 3, persistentOutput: false, collapseErrors: false, removeEmptyLines: false },
    fallbackRenderer: 'simple',
    processOutput: new ProcessOutput(options.out, undefined, { dump: ['stdout', 'stderr'] }),
  } as ConstructorParameters<typeof Listr>[1]);
  const running = list.run().then(
    () => undefined,
    () => undefined,
  );

  function onEvent(event: SupervisorEvent): void {
    if (event.type === 'stack-state' || event.type === 'task-stats') return;
    const entry = entryOf(event.task);
    if (event.type === 'task-output' && entry.outcome === undefined && entry.wrapper !== undefined) entry.wrapper.output = displayLine(event.lines.at(-1) ?? '', false);
    if (entry.outcome !== undefined || event.type === 'task-output') {
      const text = formatter.format(event);
      if (text !== undefined) held.task(event.task, text, event.type === 'task-output' ? event.lines.length : 1);
    }
    switch (event.type) {
      case 'task-waiting':
        return setTitle(event.task, `waiting for ${event.on}`);
      case 'task-spawn':
        entry.spawned = true;
        return setTitle(event.task, event.attempt > 1 ? `starting (attempt ${event.attempt})` : 'starting');
      case 'task-restart':
        return setTitle(event.task, `restarting in ${formatDuration(event.delayMs)}`);
      case 'task-ready':
        if (oneshots.has(event.task)) return setTitle(event.task, 'running');
        return finish(entry, { kind: 'ok', title: title(event.task, `ready in ${formatDuration(event.elapsedMs)}`) });
      case 'task-state':
        return onState(entry, event);
      case 'task-exit':
      case 'task-health':
      case 'task-output':
      case 'task-warning':
        return;
      default:
        return unreachable(event);
    }
  }

  function onState(entry: Entry, event: Extract<SupervisorEvent, { type: 'task-state' }>): void {
    const name = entry.name;
    if (event.state === 'completed') finish(entry, { kind: 'ok', title: title(name, 'completed') });
    else if (event.state === 'failed')
      finish(entry, { kind: 'fail', message: title(name, `failed: ${event.failure === undefined ? '' : describeShown(event.failure, false)}`) });
    else if (event.state === 'blocked')
      finish(entry, { kind: 'skip', title: title(name, `blocked${event.failure === undefined ? '' : `: ${describeShown(event.failure, false)}`}`) });
    else if (event.state === 'stopped' || event.state === 'idle') finish(entry, { kind: 'skip', title: title(name, event.state) });
  }

  let ending: Promise<void> | undefined;
  const end = (): Promise<void> => (ending ??= endView());

  async function endView(): Promise<void> {
    // `ignite run` ends the view as its task starts: that one is running
    for (const entry of [...entries.values()]) finish(entry, { kind: 'skip', title: title(entry.name, entry.spawned ? 'running' : 'not started') });
    for (const name of options.names) finish(entryOf(name), { kind: 'skip', title: title(name, 'not started') });
    await running;
    live = false;
    for (const text of held.drain()) plain.note(text);
  }

  return {
    event(event: SupervisorEvent): void {
      if (live) onEvent(event);
      else plain.event(event);
    },
    settled: end,
    note(text: string): void {
      if (live) held.note(text);
      else plain.note(text);
    },
    close: end,
  };
}
