import { afterEach, describe, expect, it } from 'vitest';
import { redis } from '../../../recipes/redis.js';
import { findBinary } from '../../../recipes/find-binary.js';
import { freePort, has, killLeftovers, readyEvent, removeDir, run, startStack, tempDir } from './harness.js';
import type { RunningStack } from './harness.js';

describe('redis recipe', () => {
  let stack: RunningStack | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await stack?.down();
    killLeftovers(stack);
    removeDir(dir);
    stack = dir = undefined;
  });

  it.skipIf(!has('redis-server') || !has('redis-cli'))(
    'starts a real redis that answers PING, then stops it leaving no process (needs redis-server, redis-tools)',
    async () => {
      dir = tempDir('redis');
      const port = await freePort();
      stack = startStack({ tasks: [redis({ port, dir })] }, dir);
      await stack.waitFor(readyEvent('redis'));

      expect((await run(findBinary('redis-cli'), ['-h', '127.0.0.1', '-p', String(port), 'ping'])).trim()).toBe('PONG');
      expect(stack.supervisor.status().find((s) => s.name === 'redis')?.state).toBe('ready');

      expect(await stack.down()).toEqual([]);
    },
  );
});
