/**
 * What the tools of a TypeScript developer's dev stack print and do, played by small
 * sh fixtures that print the same bytes (recorded from vite 8, esbuild 0.28, tsc).
 */
import { describe, expect, it } from 'vitest';
import { liveTagged, useFaults, waitFor } from './harness.js';

const fault = useFaults();

/** vite 8's banner under an inherited FORCE_COLOR=1, byte for byte. */
const VITE_BANNER = [
  String.raw`printf '\n  \033[32m\033[1mVITE\033[22m v8.4.1\033[39m  \033[2mready in \033[0m\033[1m361\033[22m\033[2m\033[0m ms\033[22m\n\n'`,
  String.raw`printf '  \033[32m\342\236\234\033[39m  \033[1mLocal\033[22m:   \033[36mhttp://localhost:\033[1m5173\033[22m/\033[39m\n'`,
].join('; ');

describe('a dev stack of TypeScript tools', () => {
  it("releases a task whose ready.log regex matches vite's coloured banner as the terminal shows it", async () => {
    // Setup: vite's banner as it prints it when FORCE_COLOR is in the environment.
    fault().writeConfig(`tasks: [
      { name: 'web', command: ${JSON.stringify(['/bin/sh', '-c', `${VITE_BANNER}; exec sleep 1000`])},
        ready: ready.all([ready.log(/Local:.*http/), ready.log(/ready in \\d+ ms/)]), readyTimeout: '3s', restart: 'never' },
    ]`);
    // Fault: escape sequences sit inside "Local:" and between "ready in" and the number.
    const up = await fault().run(['up', '-d']);
    // Expected: the regexes written from what the terminal shows match; the task is ready.
    // Check:
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toMatch(/^web +ready +\d+/m);
    expect((await fault().run(['down'])).code).toBe(0);
    await waitFor(() => liveTagged(fault().tag).length === 0, 'no tagged process', 3000);
  });
});
