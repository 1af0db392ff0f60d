/** A ready check that may pass on someone else's account (a port in use, a file left over): the task starts, with a warning. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
      ['second', `port ${held.port} is already in use by pid ${held.pid} (node) before second started: its ready check (tcp:localhost:${held.port}) may be answered by that process`],
    ]);
    // the warning comes before the spawn, and the task still runs
    const events = rec.events.filter((e) => 'task' in e && e.task === 'second').map((e) => e.type);
    expect(events.indexOf('task-warning')).toBeLessThan(events.indexOf('task-spawn'));
    expect(sup.status().find((s) => s.name === 'second')?.state).toBe('ready');
  });
});

describe('a file check whose file is already there', () => {
  it('warns once, before the first attempt, naming the file', async () => {
    const { sup, rec } = make(
      stack((dir) => {
        writeFileSync(join(dir, 'ready.flag'), '');
        return [task('flaky', 'sleep 0.2; exit 1', { ready: { kind: 'file', path: 'ready.flag' }, restart: { policy: 'on-failure', backoffMs: 10, minUptimeMs: 0, maxRestarts: 2 } }, dir)];
      }),
    );
    await sup.up();
    await rec.state('flaky', 'failed');
    const messages = rec.of('task-warning', 'flaky').map((e) => e.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^\/.*\/ready\.flag already exists before flaky started: its ready check \(file:ready\.flag\) passes at once, unless something removes the file first$/);
  });
});
