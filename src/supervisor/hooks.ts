/**
 * Runs a lifecycle hook of the task and then of every plugin, in order. A hook
 * that throws (or rejects), or does not settle within the task's readyTimeout,
 * becomes a `hook-error` Failure; the caller decides whether that is fatal
 * (preStart) or a warning (the others).
 */
import type { Failure } from '../core/failure.js';
import type { HookContext, HookName, PluginSpec, TaskHooks } from '../core/model.js';
import { raceAbort } from '../util/abort.js';
import { formatDuration } from '../util/duration.js';
import { callBounded } from '../util/user-callback.js';

type Hook = NonNullable<TaskHooks[HookName]>;

export async function runHooks(
  name: HookName,
  context: HookContext,
  task: TaskHooks,
  plugins: readonly PluginSpec[],
  timeoutMs: number,
): Promise<Failure[]> {
  const hooks = [{ owner: undefined, hook: task[name] }, ...plugins.map((p) => ({ owner: p.name, hook: p.hooks[name] }))];
  const failures: Failure[] = [];
  for (const { owner, hook } of hooks) {
    if (hook === undefined) continue;
    const message = await callHook(hook, context, timeoutMs);
    if (message === undefined) continue;
    const label = owner === undefined ? name : `${owner}.${name}`;
    failures.push({ reason: 'hook-error', task: context.task, hook: label, message });
  }
  return failures;
}

/**
 * Calls one hook: nothing once it settled, else its error's message. One that has not
 * settled within `timeoutMs` is no longer waited for: its `ctx.signal` aborts, it runs
 * on unwatched, and the hooks after it (the next preStart among them) go ahead.
 */
async function callHook(hook: Hook, context: HookContext, timeoutMs: number): Promise<string | undefined> {
  const late = `did not finish within ${formatDuration(timeoutMs)} (the task's readyTimeout)`;
  const timedOut = new AbortController();
  const signal = AbortSignal.any([context.signal, timedOut.signal]);
  return callBounded(() => hook({ ...context, signal }), {
    timeoutMs,
    late,
    onLate: () => timedOut.abort(Object.assign(new Error(late), { name: 'TimeoutError' })),
    // once the stack goes down (or the launch is cancelled) the bound must not keep the process alive
    unrefOn: context.signal,
  });
}

export function hasHook(name: HookName, task: TaskHooks, plugins: readonly PluginSpec[]): boolean {
  return task[name] !== undefined || plugins.some((p) => p.hooks[name] !== undefined);
}

/**
 * The hooks of one instance, run one after another so that they arrive in the
 * order they were fired (postStart before onReady, onExit before onRestart before
 * the next preStart), the task's own before the plugins'. Each hook has the task's
 * readyTimeout to settle: one that hangs holds back the hooks after it (and the
 * next start) that long, never for ever.
 */
export class HookQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly task: TaskHooks,
    private readonly plugins: readonly PluginSpec[],
    private readonly timeoutMs: number,
    private readonly warn: (failure: Failure) => void,
  ) {}

  /**
   * Queues a hook whose errors are only reported (every hook but preStart). The context
   * is made only when there is a hook to run: a crash loop fires four per attempt.
   */
  fire(name: HookName, context: () => HookContext): void {
    if (!hasHook(name, this.task, this.plugins)) return;
    const made = context();
    this.tail = this.tail
      .then(() => runHooks(name, made, this.task, this.plugins, this.timeoutMs))
      .then((failures) => {
        for (const failure of failures) this.warn(failure);
      });
  }

  /**
   * Runs a hook after the queued ones and resolves with its failures; rejects
   * with an AbortError when `signal` aborts first (the hook itself runs on).
   * Without such a hook it resolves at once: a slow onExit never delays a restart.
   */
  run(name: HookName, context: () => HookContext, signal: AbortSignal): Promise<Failure[]> {
    if (!hasHook(name, this.task, this.plugins)) return Promise.resolve([]);
    const made = context();
    const result = this.tail.then(() => runHooks(name, made, this.task, this.plugins, this.timeoutMs));
    this.tail = result;
    return raceAbort(result, signal);
  }
}
