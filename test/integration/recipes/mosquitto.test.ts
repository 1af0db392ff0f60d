import { describe, expect, it } from 'vitest';
import { mosquittoPubSub } from '../../../recipes/mosquitto-pubsub.js';
import { freePort, has, readyEvent, stateEvent, useStackPerTest } from './harness.js';
import type { SupervisorEvent } from '../../../src/index.js';

const installed = has('mosquitto') && has('mosquitto_sub') && has('mosquitto_pub');

describe('mosquitto recipe and the seed pub/sub example', () => {
  const scratch = useStackPerTest();

  it.skipIf(!installed)(
    'delivers "Hello world!" from the one-shot publisher to the subscriber (needs mosquitto, mosquitto-clients)',
    async () => {
      scratch.folder('mosquitto');
      const port = await freePort();
      const stack = scratch.start(mosquittoPubSub({ port }));

      await stack.waitFor(readyEvent('mosquitto'));
      await stack.waitFor(stateEvent('pub', 'completed'));
      await stack.waitFor((e) => e.type === 'task-output' && e.task === 'sub' && e.lines.includes('Hello world!'));

      // the subscriber was released only after the broker was ready, the publisher only after the subscriber's delay
      const events = stack.events;
      const at = (match: (e: SupervisorEvent) => boolean): number => events.find(match)?.at ?? Number.NaN;
      const brokerReady = at(readyEvent('mosquitto'));
      const subSpawn = at((e) => e.type === 'task-spawn' && e.task === 'sub');
      const subReady = at(readyEvent('sub'));
      const pubSpawn = at((e) => e.type === 'task-spawn' && e.task === 'pub');
      expect(subSpawn).toBeGreaterThanOrEqual(brokerReady);
      expect(subReady - subSpawn).toBeGreaterThanOrEqual(900);
      expect(pubSpawn).toBeGreaterThanOrEqual(subReady);

      expect(await stack.down()).toEqual([]);
    },
  );
});
