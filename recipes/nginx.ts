import { resolve } from 'node:path';
import { defineTask, ready } from 'ignite-run';
import type { DependencyInput, TaskInput } from 'ignite-run';
import { findBinary } from './find-binary.js';

export interface NginxOptions {
  /** Task name (default `nginx`). */
  name?: string;
  /** TCP port on 127.0.0.1 (default 8080). */
  port?: number;
  /** Folder to serve; without it every path answers `200 ok`. Resolved against the current folder when relative. */
  root?: string;
  /** Folder for the generated nginx.conf, pid file and temp files (default `.ignite/nginx`, relative to the task's cwd). */
  dir?: string;
  /**
   * User the worker processes run as when ignite runs as root (nginx's `user` directive).
   * Default `root`, so they can read whatever `root` points at; pass `www-data` for nginx's usual drop.
   */
  workerUser?: string;
  dependsOn?: DependencyInput[];
  /** The `nginx` binary (default: found on PATH or in /usr/sbin). */
  bin?: string;
}

/** Path probed by readiness and health; answered by nginx itself whatever `root` serves. */
export const NGINX_HEALTH_PATH = '/.ignite-health';

// Writes the generated config at start time (so `ignite validate` writes nothing), then execs nginx in the foreground.
const START_SCRIPT =
  'mkdir -p "$1/tmp" && dir=$(cd "$1" && pwd) && printf "%s" "$2" > "$dir/nginx.conf" && exec "$3" -p "$dir/" -c "$dir/nginx.conf" -e stderr';

/** nginx in the foreground on loopback, runnable as any user: ready and healthy when it answers HTTP. */
export function nginx(options: NginxOptions = {}): TaskInput {
  const port = options.port ?? 8080;
  const url = `http://127.0.0.1:${port}${NGINX_HEALTH_PATH}`;
  return defineTask({
    name: options.name ?? 'nginx',
    description: `nginx on 127.0.0.1:${port}`,
    command: ['sh', '-c', START_SCRIPT, 'nginx', options.dir ?? '.ignite/nginx', nginxConf(port, options.root, options.workerUser), options.bin ?? findBinary('nginx')],
    dependsOn: options.dependsOn ?? [],
    ready: ready.http(url, { status: 200 }),
    health: { check: ready.http(url, { status: 200, timeout: '2s' }), interval: '10s', timeout: '3s', retries: 3 },
    // SIGQUIT: graceful shutdown, finishing the requests in flight.
    stop: { signal: 'SIGQUIT', timeout: '10s' },
    tags: ['web'],
  });
}

/** A minimal nginx.conf whose relative paths all live in the prefix folder given with `-p`. */
export function nginxConf(port: number, root?: string, workerUser = 'root'): string {
  const serve = root === undefined ? "return 200 'ok\\n';" : `root ${quote(resolve(root))};`;
  // nginx honours `user` only when started as root; as anyone else it would warn about it.
  const user = process.getuid?.() === 0 ? `user ${quote(workerUser)};\n` : '';
  return `${user}daemon off;
worker_processes 1;
pid nginx.pid;
error_log stderr notice;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path tmp/body;
  proxy_temp_path tmp/proxy;
  fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi;
  scgi_temp_path tmp/scgi;
  server {
    listen 127.0.0.1:${port};
    location = ${NGINX_HEALTH_PATH} { return 200 'ok\\n'; }
    location / { ${serve} }
  }
}
`;
}

function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}
