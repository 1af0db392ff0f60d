/**
 * `ready.all([...])` / `ready.any([...])`. The children share one controller,
 * so once the result is known the others are cancelled and clean up.
 */
import type { ReadySpec } from '../core/ready-spec.js';
import { ABORTED, isAborted, READY, type Outcome } from './probe.js';

/** Runs one child (a wait or a single check) under the shared signal. */
export type RunChild = (spec: ReadySpec, signal: AbortSignal) => Promise<Outcome>;

function linked(signal: AbortSignal): { controller: AbortController; release: () => void } {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  signal.addEventListener('abort', abort, { once: true });
  return { controller, release: () => (signal.removeEventListener('abort', abort), controller.abort()) };
}

/** Passes once every child passed; the first failure that ends a child's run fails it. */
export async function runAll(children: ReadySpec[], runChild: RunChild, signal: AbortSignal): Promise<Outcome> {
  if (signal.aborted) return ABORTED;
  const { controller, release } = linked(signal);
  try {
    const failure = await new Promise<Outcome | undefined>((resolve) => {
      let left = children.length;
      if (left === 0) resolve(undefined);
      for (const child of children) {
        void runChild(child, controller.signal).then((outcome) => {
          if (!outcome.ok) resolve(outcome);
          else if (--left === 0) resolve(undefined);
        });
      }
    });
    return isAborted(signal) ? ABORTED : (failure ?? READY);
  } finally {
    release();
  }
}

/** Passes as soon as one child passes; fails once every child failed, with all their messages. */
export async function runAny(children: ReadySpec[], runChild: RunChild, signal: AbortSignal): Promise<Outcome> {
  if (signal.aborted) return ABORTED;
  if (children.length === 0) return { ok: false, message: 'any() has no strategies', fatal: true };
  const { controller, release } = linked(signal);
  try {
    const messages: string[] = [];
    const passed = await new Promise<boolean>((resolve) => {
      let left = children.length;
      for (const child of children) {
        void runChild(child, controller.signal).then((outcome) => {
          if (outcome.ok) return resolve(true);
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
