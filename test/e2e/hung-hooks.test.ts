import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, runCli, scratchDir } from './cli.js';

let dir = '';

afterEach(async () => {
  await runCli(['down'], { cwd: dir });
  removeDir(dir);
});

describe('a hook that never settles', () => {
  it('up -d returns once a preStart that never returns has had readyTimeout, with the task failed', async () => {
    dir = scratchDir('hung-prestart');
    writeFileSync(
      join(dir, 'ignite.config.mjs'),
      `export default {
  tasks: [
    { name: 'hooked', command: ['sleep', '60'], readyTimeout: '500ms', restart: 'never', hooks: { preStart: () => new Promise(() => {}) } },
  ],
};
`,
    );
    const up = await runCli(['up', '-d'], { cwd: dir, timeoutMs: 10_000 });
    expect(up.stdout).toContain("hooked ✖ failed: preStart hook failed: did not finish within 500ms (the task's readyTimeout)");
    expect(up.stdout).toMatch(/^hooked +failed/m);
    expect(up.code).toBe(1);
  });
});
