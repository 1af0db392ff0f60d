import { describe, expect, it } from 'vitest';
import { isAlive } from '../../helpers/procs.js';
import { freePort } from '../../helpers/net.js';
import { harness, stack, task } from './fixtures.js';

const make = harness();

/**
 * A server that daemonizes as nginx does: it listens, leaves for a session of its own
 * with an empty environment (nginx and redis overwrite theirs for their process title,
 * so the escape sweep cannot know them) and its parent exits 0, printing its pid.
 */
const daemonizing = (port: number): string[] => {
  const server = `require('net').createServer().listen(${port}, '127.0.0.1', () => console.log(process.pid)); setTimeout(() => {}, 30000)`;
  const parent =
    `const c = require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(server)}], { detached: true, env: {}, stdio: ['ignore', 'pipe', 'ignore'] });` +
    `c.stdout.once('data', (d) => { console.log('daemon ' + String(d).trim()); c.stdout.destroy(); c.unref(); });`;
  return [process.execPath, '-e', parent];
};

describe('servers that daemonize', () => {
  it('names the background server that holds its port once the task is gone, and leaves it running', async () => {
    const port = await freePort();
    const { sup, rec } = make(
      stack((dir) => [task('web', daemonizing(port), { ready: { kind: 'tcp', host: '127.0.0.1', port }, restart: { policy: 'never' } }, dir)]),
    );
    await sup.up();
    const output = await rec.waitFor('task-output', (e) => e.task === 'web' && e.lines.some((l) => l.startsWith('daemon ')));
    const pid = Number(output.lines.find((l) => l.startsWith('daemon '))?.slice(7));
    try {
      const warning = await rec.waitFor('task-warning', (e) => e.task === 'web' && e.message.includes(`pid ${pid}`));
      expect(warning.message).toBe(
        `pid ${pid} (node) listens on port ${port} after web's processes are gone: the server put itself in the background (daemonized), ` +
          `where ignite cannot stop it, and it keeps running after ignite; run it in the foreground (stop this one with kill ${pid})`,
      );
      expect(isAlive(pid)).toBe(true);
    } finally {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('says nothing of a port its own server freed when it stopped', async () => {
    const port = await freePort();
    const server = `require('net').createServer().listen(${port}, '127.0.0.1', () => console.log('up')); setTimeout(() => {}, 30000)`;
    const { sup, rec } = make(stack((dir) => [task('web', [process.execPath, '-e', server], { ready: { kind: 'tcp', host: '127.0.0.1', port } }, dir)]));
    await sup.up();
    await sup.down();
    expect(rec.of('task-warning', 'web')).toEqual([]);
  });
});
