/**
 * A plain function strategy `(ctx) => boolean | Promise<boolean>`: called until
 * it returns true. A thrown error ends the wait with its message.
 */
import type { ReadyContext, ReadySpec } from '../core/ready-spec.js';
import { raceAbort } from '../util/abort.js';
import { ABORTED, isAborted, fatal, FUNCTION_BACKOFF, notYet, poll, READY, type Outcome, type ProbeRun } from './probe.js';
import { errorMessage } from '../util/error-message.js';

type FunctionSpec = Extract<ReadySpec, { kind: 'function' }>;

export function readyContext(run: ProbeRun, signal: AbortSignal): ReadyContext {
  return { task: run.task, pid: run.pid, cwd: run.cwd, env: run.env, lines: run.output.recent(), signal };
}

/** Calls a user function once; it may ignore the signal, so the call is raced against it. */
export async function callOnce(label: string, call: () => boolean | Promise<boolean>, signal: AbortSignal): Promise<Outcome> {
  if (signal.aborted) return ABORTED;
  try {
    const passed = await raceAbort(Promise.resolve().then(call), signal);
    return passed ? READY : notYet(`${label} returned false`);
  } catch (error) {
    if (isAborted(signal)) return ABORTED;
    return fatal(errorMessage(error));
  }
}

export function checkFunction(spec: FunctionSpec, run: ProbeRun, signal: AbortSignal): Promise<Outcome> {
  return callOnce(`function ${spec.label}`, () => spec.fn(readyContext(run, signal)), signal);
}

export function waitFunction(spec: FunctionSpec, run: ProbeRun, signal: AbortSignal): Promise<Outcome> {
  return poll((attemptSignal) => checkFunction(spec, run, attemptSignal), signal, FUNCTION_BACKOFF);
}
