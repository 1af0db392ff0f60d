import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/procs.js';
import { removeDir, runCli, scratchDir } from './cli.js';

let dir = '';

afterEach(async () => {
  await runCli(['down'], { cwd: dir });
  removeDir(dir);
});

describe('two `up -d` at once on the same state dir', () => {
  it('one starts the stack; the other exits 2 naming the supervisor that runs, not its own', async () => {
    dir = scratchDir('concurrent-up');
    writeFileSync(
      join(dir, 'ignite.config.mjs'),
      `import { defineConfig } from 'ignite-run';\nexport default defineConfig({ tasks: [{ name: 'a', command: ['sleep', '60'] }] });\n`,
    );
    const results = await Promise.all([runCli(['up', '-d'], { cwd: dir }), runCli(['up', '-d'], { cwd: dir })]);
    const winner = results.find((result) => result.code === 0);
    const loser = results.find((result) => result.code !== 0);
    expect(winner?.stderr).toMatch(/stack running in the background \(pid \d+\)/);
    const pid = Number(/\(pid (\d+)\)/.exec(winner?.stderr ?? '')?.[1]);
    expect(loser?.code).toBe(2);
    expect(loser?.stderr).toContain(`ignite: a stack is already running here (pid ${String(pid)}); use \`ignite ps\` or \`ignite down\``);
    expect(loser?.stderr).not.toContain('running in the background');
    expect(isAlive(pid)).toBe(true);
    expect((await runCli(['down'], { cwd: dir })).code).toBe(0);
    expect(isAlive(pid)).toBe(false);
  });

  it('of two configs sharing it, the one that did not start names the config that runs', async () => {
    dir = scratchDir('concurrent-up-two-configs');
    for (const name of ['a', 'b']) {
      writeFileSync(join(dir, `${name}.mjs`), `export default { tasks: [{ name: '${name}', command: ['sleep', '60'] }] };\n`);
    }
    const results = await Promise.all(['a', 'b'].map((name) => runCli(['up', '-d', '-c', `${name}.mjs`], { cwd: dir })));
    const winner = results.findIndex((result) => result.code === 0);
    const loser = results[1 - winner];
    const pid = Number(/\(pid (\d+)\)/.exec(results[winner]?.stderr ?? '')?.[1]);
    const [running, refused] = winner === 0 ? ['a', 'b'] : ['b', 'a'];
    expect(loser?.code).toBe(2);
    expect(loser?.stderr).toContain(
      `ignite: a stack of another config (${join(dir, `${running}.mjs`)}, pid ${String(pid)}) is already running in ${join(dir, '.ignite')}, which ${join(dir, `${refused}.mjs`)} uses too`,
    );
    expect((await runCli(['down', '-c', `${running}.mjs`], { cwd: dir })).code).toBe(0);
    expect(isAlive(pid)).toBe(false);
  });
});
