import { defineTask, ready } from 'ignite-run';
import type { ReadyContext } from 'ignite-run';

export const strategies = [
  // a line of output (stdout and stderr by default; a string matches literally)
  ready.log(/listening on port \d+/),
  ready.log('Server started', { stream: 'stderr' }),
  // a fixed pause after spawning
  ready.delay('1s'),
  // a TCP connect to this machine's port 5432: 127.0.0.1, else ::1 (or { host, port }: that host only)
  ready.tcp(5432),
  // an HTTP answer with an expected status (default: any 2xx)
  ready.http('http://127.0.0.1:3000/health', { status: [200, 204], method: 'GET', timeout: '1s' }),
  // a file appears (relative to the task's cwd)
  ready.file('tmp/server.pid'),
  // the task writes `ready` into the FIFO named in IGNITE_READY_PIPE
  ready.pipe(),
  // a command exits 0 (argv array, or a string run by /bin/sh -c)
  ready.command(['pg_isready', '-h', '127.0.0.1', '-p', '5432'], { timeout: '2s' }),
  // the task writes a line to the file descriptor named in IGNITE_NOTIFY_FD
  ready.notify(),
  // combinators
  ready.all([ready.tcp(8080), ready.file('tmp/warm')]),
  ready.any([ready.log(/ready/), ready.delay('10s')]),
];

// A plain function is a strategy too: called until it returns true, backing off.
// A throw fails the attempt at once, so a refused connection (not listening yet) is "not yet".
async function cacheWarm(ctx: ReadyContext): Promise<boolean> {
  const response = await fetch('http://127.0.0.1:3000/cache', { signal: ctx.signal }).catch(() => undefined);
  return response?.ok === true && ctx.lines.some((line) => line.includes('cache warm'));
}

export const api = defineTask({
  name: 'api',
  command: ['node', 'server.mjs'],
  ready: cacheWarm,
  readyTimeout: '20s',
});
