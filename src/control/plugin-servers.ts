/**
 * The control servers plugins bring (`definePlugin({ controlServers })`): each is
 * made over the same ControlApi as the built-in socket, started after the
 * stack's own control server, and stopped last, after the tasks.
 */
import type { ControlApi, ControlServer, PluginSpec } from '../core/model.js';
import { err, ok, type Result } from '../core/result.js';
import { errorMessage } from '../util/error-message.js';

export interface PluginServers {
  /** Stops every started server, newest first; a failing stop is reported, never thrown. */
  close(): Promise<string[]>;
}

interface Running {
  plugin: string;
  server: ControlServer;
}

/** Starts every plugin's control servers in order; on the first failure stops those already started. */
export async function startPluginServers(plugins: readonly PluginSpec[], api: ControlApi): Promise<Result<PluginServers, string>> {
  const running: Running[] = [];
  for (const plugin of plugins) {
    for (const [index, factory] of plugin.controlServers.entries()) {
      const label = serverLabel(plugin, index);
      try {
        const server = factory(api);
        await server.start();
        running.push({ plugin: label, server });
      } catch (error) {
        await stopAll(running);
        return err(`${label} failed to start: ${errorMessage(error)}`);
      }
    }
  }
  return ok({ close: () => stopAll(running) });
}

async function stopAll(running: Running[]): Promise<string[]> {
  const problems: string[] = [];
  for (const { plugin, server } of running.reverse()) {
    try {
      await server.stop();
    } catch (error) {
      problems.push(`${plugin} failed to stop: ${errorMessage(error)}`);
    }
  }
  running.length = 0;
  return problems;
}

function serverLabel(plugin: PluginSpec, index: number): string {
  return plugin.controlServers.length === 1 ? `the control server of plugin "${plugin.name}"` : `control server ${index + 1} of plugin "${plugin.name}"`;
}

