/**
 * The seed's first example, runnable as it is:
 * `npx --no ignite up -c recipes/examples/mosquitto-pubsub.ts` — the subscriber prints `Hello world!`.
 */
import { mosquittoPubSub } from '../mosquitto-pubsub.js';

export default mosquittoPubSub();
