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

describe.runIf(asNobody)("a state dir another user left behind (runs as root; `runuser -u nobody`)", () => {
  it('up, ps and down say that no stack runs there and what to do, not "a stack may already be running"', async () => {
    dir = scratchDir('other-user-left');
    chmodSync(dir, 0o755);
    writeFileSync(
      join(dir, 'ignite.config.mjs'),
      `import { defineConfig } from 'ignite-run';\nexport default defineConfig({ tasks: [{ name: 'a', command: ['sleep', '60'] }] });\n`,
    );
    // root's stack ran here and is over: its 0700 run folder stays, as after `sudo ignite up`
    expect((await runCli(['up', '-d'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['down'], { cwd: dir })).code).toBe(0);
    const asNobodyRun = (command: string) => runCli([], { cwd: dir, argv: ['runuser', '-u', 'nobody', '--', process.execPath, CLI, ...command.split(' ')] });
    const left =
      /^ignite: no ignite stack is running for (.*)\/\.ignite, but \1\/\.ignite\/run belongs to another user \(uid 0\), so this user can neither reach nor start a stack there: run ignite as that user, or give the state dir to this user \(`sudo chown -R nobody \1\/\.ignite`\), or give the config another `stateDir`\n$/;
    for (const command of ['up -d', 'ps', 'down']) {
      const result = await asNobodyRun(command);
      expect({ command, code: result.code }).toEqual({ command, code: 1 });
      expect(result.stderr).toMatch(left);
    }
    const up = await asNobodyRun('up');
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(/^ignite: cannot start the control server: .*\/\.ignite\/run belongs to another user \(uid 0\): run ignite as that user, or give the folder to this one\n$/);
  });
});
