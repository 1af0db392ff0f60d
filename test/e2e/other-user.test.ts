import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, removeDir, runCli, scratchDir } from './cli.js';

let dir = '';

afterEach(async () => {
  await runCli(['down'], { cwd: dir });
  removeDir(dir);
});

const asNobody = process.getuid?.() === 0 && spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status === 0;

describe.runIf(asNobody)("another local user's stack (runs as root; `runuser -u nobody`)", () => {
  it('`ps` says permission denied and whose socket it is, not "not answering (busy?)"', async () => {
    dir = scratchDir('other-user');
    chmodSync(dir, 0o755);
    writeFileSync(
      join(dir, 'ignite.config.mjs'),
      `import { defineConfig } from 'ignite-run';\nexport default defineConfig({ tasks: [{ name: 'a', command: ['sleep', '60'] }] });\n`,
    );
    expect((await runCli(['up', '-d'], { cwd: dir })).code).toBe(0);
    const ps = await runCli([], { cwd: dir, argv: ['runuser', '-u', 'nobody', '--', process.execPath, CLI, 'ps'] });
    expect(ps.code).toBe(1);
    expect(ps.stderr).toMatch(/^ignite: permission denied: the control socket of the ignite stack at .*\.ignite \(.*control\.sock\) belongs to another user \(uid 0\); run ignite as that user\n$/);
    expect(ps.stderr).not.toContain('busy');
  });
});
