/** Dispatch over the strategy kinds: a full wait (with retries) or a single check. */
import type { ReadySpec } from '../core/ready-spec.js';
import { unreachable } from '../core/result.js';
import { checkCommand, waitCommand } from './command.js';
import { runAll, runAny } from './combinators.js';
import { checkDelay, waitDelay } from './delay.js';
import { checkFile, waitFile } from './file.js';
import { checkFunction, waitFunction } from './function.js';
import { checkHttp, waitHttp } from './http.js';
import { checkLog, waitLog } from './log.js';
import { waitNotify } from './notify.js';
import { waitPipe } from './pipe.js';
import { checkPlugin, waitPlugin } from './plugin.js';
import { fatal, notYet, type Outcome, type ProbeRun } from './probe.js';
import { errorMessage } from '../util/error-message.js';
import { checkTcp, waitTcp } from './tcp.js';

/** Waits until the strategy passes, fails for good, or `signal` aborts. Never rejects. */
export function waitFor(spec: ReadySpec, run: ProbeRun, signal: AbortSignal): Promise<Outcome> {
  return guard(() => waitOne(spec, run, signal));
}

/** One attempt of the strategy, as a health check. Never rejects. */
export function checkOnce(spec: ReadySpec, run: ProbeRun, signal: AbortSignal, timeoutMs: number): Promise<Outcome> {
  return guard(() => checkOne(spec, run, signal, timeoutMs));
}

async function guard(probe: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await probe();
  } catch (error) {
    return fatal(`internal error: ${errorMessage(error)} — please report`);
  }
}

function waitOne(spec: ReadySpec, run: ProbeRun, signal: AbortSignal): Promise<Outcome> {
  switch (spec.kind) {
    case 'log':
      return waitLog(spec, run, signal);
    case 'delay':
      return waitDelay(spec, signal);
    case 'tcp':
      return waitTcp(spec, signal);
    case 'http':
      return waitHttp(spec, signal);
    case 'file':
      return waitFile(spec, run, signal);
    case 'pipe':
      return waitPipe(run.fifo, signal);
    case 'command':
      return waitCommand(spec, run, signal);
    case 'notify':
      return waitNotify(run.notify, signal);
    case 'all':
      return runAll(spec.strategies, (child, childSignal) => waitFor(child, run, childSignal), signal);
    case 'any':
      return runAny(spec.strategies, (child, childSignal) => waitFor(child, run, childSignal), signal);
    case 'function':
      return waitFunction(spec, run, signal);
    case 'plugin':
      return waitPlugin(spec, run, signal);
    default:
      return unreachable(spec);
  }
}

function checkOne(spec: ReadySpec, run: ProbeRun, signal: AbortSignal, timeoutMs: number): Promise<Outcome> {
  switch (spec.kind) {
    case 'log':
      return checkLog(spec, run);
    case 'delay':
      return checkDelay();
    case 'tcp':
      return checkTcp(spec, signal, timeoutMs);
    case 'http':
      return checkHttp(spec, signal);
    case 'file':
      return checkFile(spec, run);
    case 'pipe':
    case 'notify':
      return Promise.resolve(notYet(`${spec.kind} cannot be used as a health check`));
    case 'command':
      return checkCommand(spec, run, signal, timeoutMs);
    case 'all':
      return runAll(spec.strategies, (child, childSignal) => checkOnce(child, run, childSignal, timeoutMs), signal);
    case 'any':
      return runAny(spec.strategies, (child, childSignal) => checkOnce(child, run, childSignal, timeoutMs), signal);
    case 'function':
      return checkFunction(spec, run, signal);
    case 'plugin':
      return checkPlugin(spec, run, signal);
    default:
      return unreachable(spec);
  }
}
