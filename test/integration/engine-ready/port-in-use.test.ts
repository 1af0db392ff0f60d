/** A ready check on a port another process already listens on: the task starts, with a warning naming that process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, harness, node, stack, task } from './helpers.js';

const make = harness();
const listeners: ChildProcess[] = [];

afterEach(() => {
  for (const child of listeners.splice(0)) child.kill('SIGKILL');
});

/** A real process listening on a loopback port; resolves with it and its port. */
async function listener(): Promise<{ pid: number; port: number }> {
  const script = "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => console.log(s.address().port));";
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  listeners.push(child);
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  return { pid: child.pid!, port: Number(line) };
}

describe('a ready check on a port already in use', () => {
  it('warns, before the task starts, which process holds the port its check will probe', async () => {
    const held = await listener();
    const free = await freePort();
    const { sup, rec } = make(
      stack((dir) => [
        task('second', ['sleep', '381'], { ready: { kind: 'tcp', host: 'localhost', port: held.port } }, dir),
        task('web', node('setInterval(() => {}, 1000)'), {
          ready: { kind: 'any', strategies: [{ kind: 'http', url: `http://127.0.0.1:${free}/`, status: 200, method: 'GET', headers: {}, timeout: '1s' }, { kind: 'delay', duration: '50ms' }] },
        }, dir),
      ]),
    );
    await sup.up();
    const warnings = rec.of('task-warning').map((e) => [e.task, e.message]);
    expect(warnings).toEqual([
      ['second', `port ${held.port} is already in use by pid ${held.pid} (node) before second started: its ready check (tcp:${held.port}) may be answered by that process`],
    ]);
    // the warning comes before the spawn, and the task still runs
    const events = rec.events.filter((e) => 'task' in e && e.task === 'second').map((e) => e.type);
    expect(events.indexOf('task-warning')).toBeLessThan(events.indexOf('task-spawn'));
    expect(sup.status().find((s) => s.name === 'second')?.state).toBe('ready');
  });
});
