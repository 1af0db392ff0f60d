import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SupervisorEvent } from '../../../src/core/events.js';
import type { ControlApi } from '../../../src/core/model.js';
import type { TaskStatus } from '../../../src/core/status.js';
import { err, ok } from '../../../src/core/result.js';
import { statusRow } from '../../helpers/status-row.js';

const row = (name: string, tags: string[] = []): TaskStatus => statusRow({ name, state: 'ready', pid: 1000, tags });

/** Names, `@tag`, and `*` globs: enough of the engine's matching to drive the server. */
function matches(status: TaskStatus, pattern: string): boolean {
  if (pattern.startsWith('@')) return status.tags.includes(pattern.slice(1));
  if (pattern.includes('*')) {
    const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    return new RegExp(`^${source}$`).test(status.name);
  }
  return status.name === pattern || status.task === pattern;
}

export interface FakeApi extends ControlApi {
  calls: { op: string; patterns?: string[]; signal?: string }[];
  emit(event: SupervisorEvent): void;
  listeners(): number;
}

/** A small in-memory ControlApi: start/restart/kill answer Results, stop answers void (both shapes occur). */
export function fakeApi(): FakeApi {
  const tasks = [row('api', ['backend']), row('db', ['backend']), row('web:0'), row('web:1')];
  const listeners = new Set<(event: SupervisorEvent) => void>();
  const calls: FakeApi['calls'] = [];
  const select = (patterns: string[]) => tasks.filter((t) => patterns.some((p) => matches(t, p)));
  const act = (op: string) => (patterns: string[]) => {
    calls.push({ op, patterns });
    const selected = select(patterns);
    if (selected.length === 0) return Promise.resolve(err({ reason: 'no-match' as const, patterns, known: tasks.map((t) => t.name) }));
    return Promise.resolve(ok(selected.map((t) => t.name)));
  };
  return {
    calls,
    status: (patterns) => (patterns === undefined ? [...tasks] : select(patterns)),
    start: act('start'),
    restart: act('restart'),
    stop: (patterns) => {
      calls.push({ op: 'stop', patterns });
      return Promise.resolve();
    },
    kill: (patterns, signal) => {
      calls.push({ op: 'kill', patterns, signal });
      return act('kill-select')(patterns);
    },
    down: () => {
      calls.push({ op: 'down' });
      return Promise.resolve();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: (event) => {
      for (const listener of listeners) listener(event);
    },
    listeners: () => listeners.size,
  };
}

export const info = { pid: process.pid, configFile: '/x/ignite.config.ts', startedAt: 1_700_000_000_000 };

export function tempDir(prefix = 'ignite-ctl-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/** One raw HTTP request over the socket (or TCP when `port` is set), for hostile inputs. */
export function raw(
  target: { socketPath: string } | { host: string; port: number },
  method: string,
  path: string,
  options: { body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ ...target, method, path, headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export function errorReason(response: RawResponse): unknown {
  const body = response.json as { error?: { reason?: unknown } } | undefined;
  return body?.error?.reason;
}
