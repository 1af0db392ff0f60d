import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/procs.js';
import { removeDir, runCli, scratchDir } from './cli.js';

let dir = '';

afterEach(async () => {
  await runCli(['down', '-c', 'a.mjs'], { cwd: dir });
  removeDir(dir);
});

const config = (task: string): string =>
  `import { defineConfig } from 'ignite-run';\nexport default defineConfig({ tasks: [{ name: '${task}', command: ['sleep', '60'] }] });\n`;

describe('two configs sharing a state dir', () => {
  it('a command given the other config refuses to act on the stack it did not start', async () => {
    dir = realpathSync(scratchDir('two-configs'));
    writeFileSync(join(dir, 'a.mjs'), config('apple'));
    writeFileSync(join(dir, 'b.mjs'), config('bee'));
    const cli = (...args: string[]) => runCli(args, { cwd: dir });
    expect((await cli('up', '-d', '-c', 'a.mjs')).code).toBe(0);
    const rows = JSON.parse((await cli('ps', '--json', '-c', 'a.mjs')).stdout) as { pid: number }[];
    const pid = rows[0]?.pid ?? 0;

    const a = join(dir, 'a.mjs');
    const b = join(dir, 'b.mjs');
    const refusal = `ignite: the stack in ${dir}/.ignite runs ${a}, not ${b}: both configs use this state dir. Reach that stack with \`-c ${a}\`, and give each config its own \`stateDir\`\n`;
    for (const command of [['down'], ['ps'], ['stop', 'bee'], ['logs']]) {
      const result = await cli(...command, '-c', 'b.mjs');
      expect({ command, code: result.code, stderr: result.stderr }).toEqual({ command, code: 2, stderr: refusal });
    }
    const up = await cli('up', '-d', '-c', 'b.mjs');
    expect(up.code).toBe(2);
    expect(up.stderr).toMatch(
      new RegExp(`^ignite: a stack of another config \\(${a}, pid \\d+\\) is already running in ${dir}/\\.ignite, which ${b} uses too: stop it with \`ignite down -c ${a}\`, or give each config its own \`stateDir\`\\n$`),
    );
    expect(isAlive(pid)).toBe(true);
    const down = await cli('down', '-c', 'a.mjs');
    expect(down.code).toBe(0);
    expect(isAlive(pid)).toBe(false);
  });
});
