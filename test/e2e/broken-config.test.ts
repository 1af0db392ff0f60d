/**
 * A config that stops loading while its stack runs, or that prints or throws as it
 * loads: the CLI still reaches the stack, keeps data on stdout clean, and says what
 * is wrong with the exit code of a config error.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, runCli, scratchDir } from './cli.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) {
    writeFileSync(join(dir, 'ignite.config.mjs'), GOOD);
    await runCli(['down'], { cwd: dir });
    removeDir(dir);
  }
});

const GOOD = `export default { stateDir: 'custom', tasks: [{ name: 'a', command: 'exec sleep 300' }] };\n`;

function project(config: string): string {
  const dir = scratchDir('broken-config');
  dirs.push(dir);
  writeFileSync(join(dir, 'ignite.config.mjs'), config);
  return dir;
}

function pidOf(dir: string): number {
  const state = JSON.parse(readFileSync(join(dir, 'custom', 'run', 'state.json'), 'utf8')) as { children?: { pid: number }[] };
  return state.children?.[0]?.pid ?? 0;
}

describe('a config that no longer loads', () => {
  it('still lets down stop the stack in the stateDir it names, though another field is wrong', async () => {
    const dir = project(GOOD);
    expect((await runCli(['up', '-d'], { cwd: dir })).code).toBe(0);
    const pid = pidOf(dir);
    expect(pid).toBeGreaterThan(0);
    writeFileSync(join(dir, 'ignite.config.mjs'), GOOD.replace("'exec sleep 300'", "'exec sleep 300', replicas: 0"));
    const down = await runCli(['down'], { cwd: dir });
    expect(down.stderr).toContain('using the stateDir it names');
    expect(down.stderr).toContain('stack stopped');
    expect(down.code).toBe(0);
    expect(existsSync(`/proc/${String(pid)}`)).toBe(false);
  });

  it('does not say "no stack is running" with exit 0 when it cannot tell where the stack runs', async () => {
    const dir = project(GOOD);
    expect((await runCli(['up', '-d'], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, 'ignite.config.mjs'), 'export default { stateDir: ;\n');
    const down = await runCli(['down'], { cwd: dir });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('the config does not load, so a stateDir it sets could not be read');
    expect(existsSync(`/proc/${String(pidOf(dir))}`)).toBe(true);
  });
});

describe('a config that prints or throws while it loads', () => {
  it("keeps stdout for data: what the config logs goes to stderr", async () => {
    const dir = project(`console.log('loading config'); console.info('info'); console.dir({ a: 1 });\n${GOOD}`);
    const graph = await runCli(['graph', '--format', 'json'], { cwd: dir });
    expect(graph.code).toBe(0);
    expect(() => JSON.parse(graph.stdout) as unknown).not.toThrow();
    expect(graph.stderr).toContain('loading config');
    expect(graph.stderr).toContain('{ a: 1 }');
  });

  it('shows, under --debug, where a TypeScript config threw in its own lines, not in the compiled file', async () => {
    const dir = scratchDir('broken-config');
    dirs.push(dir);
    writeFileSync(join(dir, 'ignite.config.mjs'), GOOD);
    const file = join(dir, 'throws.config.ts');
    writeFileSync(file, "const port: number = 3;\nfunction boom(): never { throw new Error('config exploded'); }\nexport default { tasks: [{ name: 'a', command: String(port) + boom() }] };\n");
    const validate = await runCli(['validate', '--debug', '-c', file], { cwd: dir });
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain(`at boom (${file}:2:`);
  });

  it('reports a getter that throws as the config throwing, exit 2', async () => {
    const dir = project(`export default { tasks: [{ name: 'a', get command() { return process.env.NOPE_CMD.split(' '); } }] };\n`);
    const validate = await runCli(['validate'], { cwd: dir });
    expect(validate.code).toBe(2);
    expect(validate.stderr).not.toContain('internal error');
    expect(validate.stderr).toContain("Cannot read properties of undefined (reading 'split')");
  });
});
