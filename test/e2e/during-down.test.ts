import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, runCli, scratchDir, startCli, type CliResult } from './cli.js';

let dir = '';
let down: Promise<CliResult> | undefined;
const cli = (...args: string[]) => runCli(args, { cwd: dir });

async function stateOf(task: string): Promise<string | undefined> {
  const ps = await cli('ps', '--json');
  if (ps.code !== 0) return undefined;
  return (JSON.parse(ps.stdout) as { name: string; state: string }[]).find((row) => row.name === task)?.state;
}

afterEach(async () => {
  writeFileSync(join(dir, 'go'), '');
  await down;
  await cli('down');
  removeDir(dir);
});

describe('actions during a down', () => {
  it('start and reload say the stack is shutting down (exit 1), and the down finishes', async () => {
    dir = scratchDir('during-down');
    // `slow` leaves its TERM trap only once the test creates `go`: the down is held open meanwhile
    writeFileSync(
      join(dir, 'ignite.config.mjs'),
      `import { defineConfig } from 'ignite-run';
export default defineConfig({ tasks: [
  { name: 'slow', command: "trap 'while [ ! -e go ]; do sleep 0.05; done; exit 0' TERM; while :; do sleep 0.1; done" },
  { name: 'b', command: ['sleep', '509'] },
] });
`,
    );
    expect((await cli('up', '-d')).code).toBe(0);
    down = startCli(['down'], { cwd: dir }).done;
    const deadline = Date.now() + 10_000;
    while ((await stateOf('slow')) !== 'stopping' && Date.now() < deadline);
    expect(await stateOf('slow')).toBe('stopping');
    for (const args of [['start', 'b'], ['reload']]) {
      const result = await cli(...args);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 1, stderr: 'ignite: the stack is shutting down\n' });
    }
    writeFileSync(join(dir, 'go'), '');
    expect(await down).toMatchObject({ code: 0, stderr: 'ignite: stack stopped\n' });
  });
});
