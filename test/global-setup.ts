import { randomUUID } from 'node:crypto';
import { findTagged, killTagged, RUN_TAG_VAR } from './helpers/procs.js';

/**
 * Tags every process this test run starts (workers inherit the variable, and so
 * do the children they spawn), then fails the run if any of them is still alive.
 */
export default function setup(): () => Promise<void> {
  const tag = `run-${randomUUID()}`;
  process.env[RUN_TAG_VAR] = tag;
  return async () => {
    const deadline = Date.now() + 2000;
    let left = findTagged(tag).filter((p) => !p.zombie);
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = findTagged(tag).filter((p) => !p.zombie);
    }
    if (left.length > 0) {
      killTagged(tag);
      const list = left.map((p) => `  ${p.pid} ${p.cmdline}`).join('\n');
      throw new Error(`test run left ${left.length} process(es) running:\n${list}`);
    }
  };
}
