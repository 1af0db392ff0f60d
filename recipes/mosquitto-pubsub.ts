/**
 * The seed's first example, as an ignite stack: a broker, a subscriber that is
 * given a second to subscribe, and a one-shot publisher. The subscriber prints
 * `Hello world!`.
 */
import { defineConfig, defineTask, ready } from 'ignite-run';
import type { ConfigInput } from 'ignite-run';
import { findBinary } from './find-binary.js';
import { mosquitto } from './mosquitto.js';

export function mosquittoPubSub(options: { port?: number; topic?: string; message?: string } = {}): ConfigInput {
  const port = String(options.port ?? 1883);
  const topic = options.topic ?? 'test';
  const connection = ['-h', '127.0.0.1', '-p', port];

  const broker = mosquitto({ port: Number(port) });

  const sub = defineTask({
    name: 'sub',
    command: [findBinary('mosquitto_sub'), ...connection, '-t', topic],
    dependsOn: [broker],
    ready: ready.delay('1s'),
  });

  const pub = defineTask({
    name: 'pub',
    command: [findBinary('mosquitto_pub'), ...connection, '-t', topic, '-m', options.message ?? 'Hello world!'],
    dependsOn: [sub],
    oneshot: true,
  });

  return defineConfig({ tasks: [broker, sub, pub] });
}

