import { defineTask, ready } from 'ignite-run';
import type { DependencyInput, TaskInput } from 'ignite-run';
import { findBinary } from './find-binary.js';

export interface MosquittoOptions {
  /** Task name (default `mosquitto`). */
  name?: string;
  /** TCP port on 127.0.0.1 (default 1883). */
  port?: number;
  /** Folder for the generated mosquitto.conf (default `.ignite/mosquitto`, relative to the task's cwd). */
  dir?: string;
  /** Log every message and connection (`-v`). */
  verbose?: boolean;
  dependsOn?: DependencyInput[];
  /** The `mosquitto` binary (default: found on PATH or in /usr/sbin). */
  bin?: string;
}

// Writes the config at start time, then execs the broker. `-p PORT` alone would bind every interface.
const START_SCRIPT = 'mkdir -p "$1" && printf "%s" "$2" > "$1/mosquitto.conf" && shift 2 && exec "$@"';

/** An MQTT broker on loopback, anonymous access allowed: ready when it logs that it is running. */
export function mosquitto(options: MosquittoOptions = {}): TaskInput {
  const port = options.port ?? 1883;
  const dir = options.dir ?? '.ignite/mosquitto';
  const config = `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\n`;
  return defineTask({
    name: options.name ?? 'mosquitto',
    description: `MQTT broker on 127.0.0.1:${port}`,
    command: [
      'sh', '-c', START_SCRIPT, 'mosquitto', dir, config,
      options.bin ?? findBinary('mosquitto'), '-c', `${dir}/mosquitto.conf`, ...(options.verbose === true ? ['-v'] : []),
    ],
    dependsOn: options.dependsOn ?? [],
    ready: ready.log(/mosquitto version [\d.]+ running/),
    health: { check: ready.tcp(port), interval: '10s', timeout: '2s', retries: 3 },
    stop: { signal: 'SIGTERM', timeout: '5s' },
    tags: ['broker'],
  });
}
