/**
 * What the tools of a TypeScript developer's dev stack print and do, played by small
 * sh fixtures that print the same bytes (recorded from vite 8, esbuild 0.28, tsc).
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveTagged, nodeCmd, useFaults, waitFor } from './harness.js';

const fault = useFaults();

/** vite 8's banner under an inherited FORCE_COLOR=1, byte for byte. */
const VITE_BANNER = [
  String.raw`printf '\n  \033[32m\033[1mVITE\033[22m v8.4.1\033[39m  \033[2mready in \033[0m\033[1m361\033[22m\033[2m\033[0m ms\033[22m\n\n'`,
  String.raw`printf '  \033[32m\342\236\234\033[39m  \033[1mLocal\033[22m:   \033[36mhttp://localhost:\033[1m5173\033[22m/\033[39m\n'`,
].join('; ');

/** esbuild --watch: stops as soon as its stdin closes, so that it never outlives its parent. */
const WATCHER = [
  "process.stdin.on('end', () => { console.log('[watch] stopped automatically because stdin was closed'); process.exit(0); });",
  'process.stdin.resume();',
  "setTimeout(() => console.log('[watch] build finished, watching for changes...'), 300);",
].join(' ');

/** `npm run dev` in a workspace package whose vite fails: vite's error, then npm's report (npm 11). */
const NPM_RUN_FAILING = [
  String.raw`printf '\n> dev\n> vite --strictPort\n\n'`,
  String.raw`printf 'error when starting dev server:\nError: Port 5173 is already in use\n    at Server.onError (file:///repo/node_modules/vite/dist/node/chunks/config.js:1:1)\n' >&2`,
  String.raw`printf 'npm error Lifecycle script \140dev\140 failed with error:\nnpm error code 1\nnpm error path /repo/packages/web\nnpm error workspace web\nnpm error location /repo/packages/web\nnpm error command failed\nnpm error command sh -c vite --strictPort\n' >&2`,
  'exit 1',
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

  it('keeps a watcher that stops when its stdin closes running, and gives a oneshot end-of-input', async () => {
    // Setup: an esbuild --watch stand-in, and a oneshot that prompts for an answer.
    fault().writeConfig(`tasks: [
      { name: 'esbuild', command: ${nodeCmd(WATCHER)}, ready: ready.log(/build finished/), readyTimeout: '3s', restart: 'never' },
      { name: 'prompt', command: ['/bin/sh', '-c', 'read answer; echo "no answer: $?"'], oneshot: true },
    ]`);
    // Fault: each reads its stdin; the watcher takes its end as its parent gone.
    const up = await fault().run(['up', '-d']);
    // Expected: the watcher is up and stays up; the prompt read end-of-input and completed.
    // Check:
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toMatch(/^esbuild +ready +\d+/m);
    expect(up.stdout).toMatch(/^prompt +completed /m);
    expect((await fault().run(['ps', 'esbuild'])).stdout).toMatch(/^esbuild +ready +\d+/m);
    const logs = await fault().run(['logs', 'prompt']);
    expect(logs.stdout).toContain('prompt | no answer: 1');
    expect((await fault().run(['down'])).code).toBe(0);
    await waitFor(() => liveTagged(fault().tag).length === 0, 'no tagged process', 3000);
  });

  it('says where a command missing from PATH is when node_modules/.bin has it, and how to run it', async () => {
    // Setup: a locally installed tool (npm puts its bin in node_modules/.bin), named bare in a
    // workspace package's task, ignite started without npx (so PATH lacks node_modules/.bin).
    const bin = join(fault().dir, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'devstack-vite'), '#!/bin/sh\necho vite\n');
    chmodSync(join(bin, 'devstack-vite'), 0o755);
    mkdirSync(join(fault().dir, 'packages', 'web'), { recursive: true });
    fault().writeConfig(`tasks: [{ name: 'web', command: ['devstack-vite', '--port', '5173'], cwd: 'packages/web', restart: 'never' }]`);
    // Fault: npm scripts and npx find it; ignite looks in PATH only.
    const up = await fault().run(['up']);
    // Expected: the not-found message names the folder it is in and the two ways to run it.
    // Check:
    expect(up.code).toBe(1);
    expect(up.stdout).toContain(
      `web ✖ failed: cannot start "devstack-vite": command not found in PATH (ENOENT); it is in ${bin}, which is not in PATH: ` +
        "write ['npx', 'devstack-vite', …], or run ignite through npx or an npm script (they add node_modules/.bin to PATH)",
    );
  });

  it("quotes the program's last lines, not npm's report, when an npm script fails", async () => {
    // Setup: npm run dev in a workspace package, its vite failing to start.
    fault().writeConfig(`tasks: [{ name: 'web', command: ${JSON.stringify(['/bin/sh', '-c', NPM_RUN_FAILING])}, restart: 'never' }]`);
    // Fault: npm ends with 7 lines of its own after vite's error.
    const up = await fault().run(['up']);
    // Expected: the failure quotes vite's error; npm's report stays in the log.
    // Check:
    expect(up.code).toBe(1);
    expect(up.stdout).toContain(
      [
        'web ✖ failed: exited with code 1; last output:',
        '        │ > vite --strictPort',
        '        │ ',
        '        │ error when starting dev server:',
        '        │ Error: Port 5173 is already in use',
        '        │     at Server.onError (file:///repo/node_modules/vite/dist/node/chunks/config.js:1:1)',
      ].join('\n'),
    );
    expect((await fault().run(['logs', 'web'])).stdout).toContain('web | npm error command sh -c vite --strictPort');
  });
});
