/** `ready.plugin(name, params)`: a function a plugin registered, called with `(params, ctx)` until it returns true. */
import type { ReadySpec } from '../core/ready-spec.js';
import { fatal, FUNCTION_BACKOFF, poll, type Outcome, type ProbeRun } from './probe.js';
import { callOnce, readyContext } from './function.js';

type PluginSpec = Extract<ReadySpec, { kind: 'plugin' }>;

export function checkPlugin(spec: PluginSpec, run: ProbeRun, signal: AbortSignal): Promise<Outcome> {
  const fn = Object.hasOwn(run.plugins, spec.name) ? run.plugins[spec.name] : undefined;
  if (fn === undefined) {
    const known = Object.keys(run.plugins);
    return Promise.resolve(fatal(`no plugin registered the ready strategy "${spec.name}"${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`));
  }
  return callOnce(`plugin strategy ${spec.name}`, () => fn(spec.params, readyContext(run, signal)), signal);
}

export function waitPlugin(spec: PluginSpec, run: ProbeRun, signal: AbortSignal): Promise<Outcome> {
  return poll((attemptSignal) => checkPlugin(spec, run, attemptSignal), signal, FUNCTION_BACKOFF);
}
