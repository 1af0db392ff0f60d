/**
 * The control servers plugins bring (`definePlugin({ controlServers })`): each is
 * made over the same ControlApi as the built-in socket, started after the
 * stack's own control server, and stopped last, after the tasks. Each start()
 * and stop() has the stack's shutdownTimeout to settle: ignite never waits on
 * one for ever. A listener a server subscribes that throws or rejects is reported
 * through `warn`, never let into the supervisor's own event delivery.
 */
import type { ControlApi, ControlServer, PluginSpec } from '../core/model.js';
import { err, ok, type Result } from '../core/result.js';
import { formatDuration } from '../util/duration.js';
import { errorMessage } from '../util/error-message.js';
import { callBounded, callUnawaited, SaidOnce } from '../util/user-callback.js';

export interface PluginServers {
  /**
   * Stops every started server, newest first; a failing stop is reported, never thrown.
   * Once `forced` aborts (a second Ctrl+C), no stop is waited for any more.
   */
  close(forced?: AbortSignal): Promise<string[]>;
}

interface Running {
  plugin: string;
  server: ControlServer;
}

/** Starts every plugin's control servers in order; on the first failure stops those already started. */
export async function startPluginServers(
  plugins: readonly PluginSpec[],
  api: ControlApi,
  timeoutMs: number,
  warn: (message: string) => void,
): Promise<Result<PluginServers, string>> {
  const running: Running[] = [];
  const said = new SaidOnce();
  for (const plugin of plugins) {
    for (const [index, factory] of plugin.controlServers.entries()) {
      const label = serverLabel(plugin, index);
      let problem: string | undefined;
      try {
        const server = factory(guarded(api, (error) => listenerFailed(label, errorMessage(error), said, warn)));
        problem = await settle(() => server.start(), timeoutMs);
        if (problem === undefined) running.push({ plugin: label, server });
      } catch (error) {
        problem = errorMessage(error);
      }
      if (problem !== undefined) {
        await stopAll(running, timeoutMs);
        return err(`${label} failed to start: ${problem}`);
      }
    }
  }
  return ok({ close: (forced) => stopAll(running, timeoutMs, forced) });
}

async function stopAll(running: Running[], timeoutMs: number, forced?: AbortSignal): Promise<string[]> {
  const problems: string[] = [];
  for (const { plugin, server } of running.reverse()) {
    const problem = await settle(() => server.stop(), timeoutMs, forced);
    if (problem !== undefined) problems.push(`${plugin} failed to stop: ${problem}`);
  }
  running.length = 0;
  return problems;
}

/** Calls `step`: nothing once it settled, else why not (its error, or that it did not settle in time). */
function settle(step: () => unknown, timeoutMs: number, forced?: AbortSignal): Promise<string | undefined> {
  const late = `did not finish within ${formatDuration(timeoutMs)} (shutdownTimeout)`;
  const cut = forced === undefined ? {} : { cut: { signal: forced, message: 'did not finish before the shutdown was forced' } };
  return callBounded(step, { timeoutMs, late, ...cut });
}

/** `api` whose subscribe() hands the listener's failures to `failed` instead of the emitter. */
function guarded(api: ControlApi, failed: (error: unknown) => void): ControlApi {
  return { ...api, subscribe: (listener) => api.subscribe((event) => callUnawaited(listener, event, failed)) };
}

function listenerFailed(label: string, message: string, said: SaidOnce, warn: (message: string) => void): void {
  const take = said.take(label, message);
  if (take === undefined) return;
  const more = take.last ? '; its message keeps changing, so no more of these' : '';
  warn(`${label}: its event listener failed: ${message} (said once; events keep coming to it${more})`);
}

function serverLabel(plugin: PluginSpec, index: number): string {
  return plugin.controlServers.length === 1 ? `the control server of plugin "${plugin.name}"` : `control server ${index + 1} of plugin "${plugin.name}"`;
}
