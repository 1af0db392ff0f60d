import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/procs.js';
import { removeDir, runCli, scratchDir } from './cli.js';

// A background supervisor whose ignite.log (its stdout and stderr too) is /dev/full:
// every write to it fails with ENOSPC, as on a full disk.
let dir = '';

afterEach(async () => {
  await runCli(['down'], { cwd: dir });
  removeDir(dir);
});

function fullLogProject(name: string, config: string): string {
  const project = scratchDir(name);
  writeFileSync(join(project, 'ignite.config.mjs'), config);
  mkdirSync(join(project, '.ignite'));
  symlinkSync('/dev/full', join(project, '.ignite/ignite.log'));
  return project;
}

const SLEEPER = `import { defineConfig } from 'ignite-run';
export default defineConfig({ tasks: [{ name: 'a', command: ['sleep', '60'] }] });
`;

describe.runIf(existsSync('/dev/full'))('up -d when its log cannot be written (ENOSPC)', () => {
  it('the supervisor starts, acts and stops: a log it cannot write never ends it', async () => {
    dir = fullLogProject('full-log', SLEEPER);
    const up = await runCli(['up', '-d'], { cwd: dir });
    expect(up.stderr).toContain('stack running in the background');
    expect(up.code).toBe(0);
    const daemonPid = Number(/\(pid (\d+)\)/.exec(up.stderr)?.[1]);
    for (let i = 0; i < 3; i++) expect((await runCli(['restart', 'a'], { cwd: dir })).code).toBe(0);
    const ps = await runCli(['ps', '--json'], { cwd: dir });
    expect(ps.code).toBe(0);
    const [row] = JSON.parse(ps.stdout) as { state: string; pid: number }[];
    expect(row?.state).toBe('ready');
    expect(isAlive(daemonPid)).toBe(true);
    expect((await runCli(['down'], { cwd: dir })).code).toBe(0);
    expect(isAlive(daemonPid)).toBe(false);
    expect(isAlive(row?.pid ?? 0)).toBe(false);
  });

  it('a supervisor that dies leaving nothing in its log: says so, not an empty colon', async () => {
    dir = fullLogProject('full-log-dies', `if (process.argv.includes('__daemon')) throw new Error('only in the daemon');\n${SLEEPER}`);
    const up = await runCli(['up', '-d'], { cwd: dir });
    expect(up.code).toBe(2);
    expect(up.stderr).toMatch(/^ignite: the background supervisor exited \(code 2\) before it was ready; nothing in its log .*ignite\.log$/m);
  });
});
