import { describe, expect, it } from 'vitest';
import { redis } from '../../../recipes/redis.js';
import { findBinary } from '../../../recipes/find-binary.js';
import { freePort, has, readyEvent, run, useStackPerTest } from './harness.js';

describe('redis recipe', () => {
  const scratch = useStackPerTest();

  it.skipIf(!has('redis-server') || !has('redis-cli'))(
    'starts a real redis that answers PING, then stops it leaving no process (needs redis-server, redis-tools)',
    async () => {
      const dir = scratch.folder('redis');
      const port = await freePort();
      const stack = scratch.start({ tasks: [redis({ port, dir })] });
      await stack.waitFor(readyEvent('redis'));

      expect((await run(findBinary('redis-cli'), ['-h', '127.0.0.1', '-p', String(port), 'ping'])).trim()).toBe('PONG');
      expect(stack.supervisor.status().find((s) => s.name === 'redis')?.state).toBe('ready');

      expect(await stack.down()).toEqual([]);
    },
  );
});
