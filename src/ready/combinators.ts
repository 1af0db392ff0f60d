/**
 * `ready.all([...])` / `ready.any([...])`. Each child runs under a controller of
 * its own, linked to the combinator's signal: once the result is known the
 * others are cancelled and clean up, and when the signal aborts (the deadline)
 * the combinator records why each child still failed, from the child's own last miss.
 */
import { describeReady, type ReadySpec } from '../core/ready-spec.js';
import { ABORTED, isAborted, lastMiss, READY, recordMiss, type Outcome } from './probe.js';

/** Runs one child (a wait or a single check) under its signal. */
export type RunChild = (spec: ReadySpec, signal: AbortSignal) => Promise<Outcome>;

interface Child {
  spec: ReadySpec;
  controller: AbortController;
  passed: boolean;
}

/** The children, each with its controller; `release` cancels them all and stops listening to `signal`. */
function linked(specs: ReadySpec[], signal: AbortSignal): { children: Child[]; release: () => void } {
  const children = specs.map((spec) => ({ spec, controller: new AbortController(), passed: false }));
  const cancel = (): void => {
    for (const child of children) child.controller.abort();
  };
  // Synchronous, inside the abort: the wait reads the miss as soon as its signal aborted.
  const onAbort = (): void => {
    cancel();
    recordMiss(signal, stillFailing(children));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  return { children, release: () => (signal.removeEventListener('abort', onAbort), cancel()) };
}

/** `tcp:5432: cannot connect …; file:x: still waiting; passed: log:/hi/`. */
function stillFailing(children: readonly Child[]): string {
  const failing = children.filter((c) => !c.passed).map((c) => `${describeReady(c.spec)}: ${missOf(c)}`);
  const passed = children.filter((c) => c.passed).map((c) => describeReady(c.spec));
  return [...failing, ...(passed.length === 0 ? [] : [`passed: ${passed.join(', ')}`])].join('; ');
}

/** A nested all/any lists its own children: bracket them. */
function missOf(child: Child): string {
  const miss = lastMiss(child.controller.signal) ?? 'still waiting';
  return child.spec.kind === 'all' || child.spec.kind === 'any' ? `[${miss}]` : miss;
}

/** Passes once every child passed; the first failure that ends a child's run fails it. */
export async function runAll(specs: ReadySpec[], runChild: RunChild, signal: AbortSignal): Promise<Outcome> {
  if (signal.aborted) return ABORTED;
  const { children, release } = linked(specs, signal);
  try {
    const failure = await new Promise<Outcome | undefined>((resolve) => {
      let left = children.length;
      if (left === 0) resolve(undefined);
      for (const child of children) {
        void runChild(child.spec, child.controller.signal).then((outcome) => {
          if (!outcome.ok) return resolve(outcome);
          child.passed = true;
          if (--left === 0) resolve(undefined);
        });
      }
    });
    return isAborted(signal) ? ABORTED : (failure ?? READY);
  } finally {
    release();
  }
}

/** Passes as soon as one child passes; fails once every child failed, with all their messages. */
export async function runAny(specs: ReadySpec[], runChild: RunChild, signal: AbortSignal): Promise<Outcome> {
  if (signal.aborted) return ABORTED;
  if (specs.length === 0) return { ok: false, message: 'any() has no strategies', fatal: true };
  const { children, release } = linked(specs, signal);
  try {
    const messages: string[] = [];
    const passed = await new Promise<boolean>((resolve) => {
      let left = children.length;
      for (const child of children) {
        void runChild(child.spec, child.controller.signal).then((outcome) => {
          if (outcome.ok) return resolve(true);
          // a child that gave up for good says why in the summary too
          if (outcome.message !== 'aborted') recordMiss(child.controller.signal, outcome.message);
          messages.push(outcome.message);
          if (--left === 0) resolve(false);
        });
      }
    });
    if (isAborted(signal)) return ABORTED;
    return passed ? READY : { ok: false, message: messages.join('; '), fatal: true };
  } finally {
    release();
  }
}
