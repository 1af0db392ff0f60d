import { defineTask, ready } from 'ignite-run';
import type { DependencyInput, TaskInput } from 'ignite-run';
import { findBinary } from './find-binary.js';

export interface RedisOptions {
  /** Task name (default `redis`). */
  name?: string;
  /** TCP port on 127.0.0.1 (default 6379). */
  port?: number;
  /** Working directory of the server (`--dir`); nothing is persisted by default. */
  dir?: string;
  /** More `redis-server` arguments, appended as given. */
  extraArgs?: string[];
  dependsOn?: DependencyInput[];
  /** The `redis-server` binary (default: found on PATH). */
  bin?: string;
  /** The `redis-cli` binary used by the health probe (default: found on PATH). */
  cli?: string;
}

/** An in-memory Redis on loopback: ready when it accepts connections, healthy while it answers PING. */
export function redis(options: RedisOptions = {}): TaskInput {
  const port = String(options.port ?? 6379);
  const cli = options.cli ?? findBinary('redis-cli');
  const command: string[] = [
    options.bin ?? findBinary('redis-server'),
    ...['--port', port, '--bind', '127.0.0.1'],
    ...['--save', '', '--appendonly', 'no'],
    ...(options.dir === undefined ? [] : ['--dir', options.dir]),
    ...(options.extraArgs ?? []),
  ];
  return defineTask({
    name: options.name ?? 'redis',
    description: `Redis on 127.0.0.1:${port}`,
    command,
    dependsOn: options.dependsOn ?? [],
    ready: ready.log(/Ready to accept connections/),
    health: {
      check: ready.command([cli, '-h', '127.0.0.1', '-p', port, 'ping'], { timeout: '2s' }),
      interval: '10s',
      timeout: '3s',
      retries: 3,
    },
    stop: { signal: 'SIGTERM', timeout: '10s' },
    tags: ['db'],
  });
}
