import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../faults/lib/http.js';
import { isAlive } from '../helpers/procs.js';
import { removeDir, runCli, scratchDir } from './cli.js';

let dir = '';
const cli = (...args: string[]) => runCli(args, { cwd: dir });

function writeConfig(file: string, tasks: string): void {
  writeFileSync(join(dir, file), `import { defineConfig } from 'ignite-run';\nexport default defineConfig({ tasks: [\n${tasks}\n] });\n`);
}

async function pids(): Promise<Record<string, number | null>> {
  const rows = JSON.parse((await cli('ps', '--json')).stdout) as { name: string; pid: number | null }[];
  return Object.fromEntries(rows.map((row) => [row.name, row.pid]));
}

afterEach(async () => {
  const running = (await cli('ps', '--json')).code === 0;
  const left = Object.values(running ? await pids() : {}).filter((pid): pid is number => pid !== null);
  await cli('down');
  expect(left.filter(isAlive)).toEqual([]);
  removeDir(dir);
});

describe('ignite reload', () => {
  it.each(['ignite.config.ts', 'ignite.config.mjs'])('applies an edited %s: new tasks start, changed ones restart, removed ones stop, the rest run on', async (file) => {
    dir = scratchDir('reload');
    writeConfig(file, `{ name: 'db', command: ['sleep', '501'] },\n{ name: 'api', command: ['sleep', '502'], dependsOn: ['db'] },\n{ name: 'old', command: ['sleep', '503'] },`);
    expect((await cli('up', '-d')).code).toBe(0);
    const before = await pids();
    writeConfig(file, `{ name: 'db', command: ['sleep', '501'] },\n{ name: 'api', command: ['sleep', '504'], dependsOn: ['db'] },\n{ name: 'added', command: 'echo hello; exec sleep 505' },`);
    const reload = await cli('reload');
    expect(reload.stderr).toBe('ignite: added: added (started)\nignite: changed: api (restarted)\nignite: removed: old (stopped)\nignite: unchanged: db\n');
    expect(reload.code).toBe(0);
    const after = await pids();
    expect(Object.keys(after)).toEqual(['db', 'api', 'added']);
    expect(after.db).toBe(before.db);
    expect(after.api).not.toBe(before.api);
    expect([before.api, before.old].filter((pid) => pid !== null && pid !== undefined && isAlive(pid))).toEqual([]);
    expect((await cli('logs', 'added')).stdout).toBe('added | hello\n');
  });

  it('keeps one copy of an unchanged .mjs config however often it is reloaded (Node never frees an imported module)', async () => {
    dir = scratchDir('reload-same');
    // each evaluation of the config file appends an x: one per copy of the module in the supervisor
    writeFileSync(
      join(dir, 'ignite.config.mjs'),
      "import { appendFileSync } from 'node:fs';\nappendFileSync(new URL('evaluations', import.meta.url), 'x');\nexport default { tasks: [{ name: 'db', command: ['sleep', '509'] }] };\n",
    );
    expect((await cli('up', '-d')).code).toBe(0);
    for (let i = 0; i < 30; i++) {
      const answer = await request({ path: join(dir, '.ignite/run/control.sock') }, 'POST', '/v1/reload', '{}');
      expect(answer.status).toBe(200);
    }
    // the first load (CLI), the daemon's, and the first reload's
    expect(readFileSync(join(dir, 'evaluations'), 'utf8').length).toBeLessThanOrEqual(3);
  });

  it('changes nothing when the edited config is invalid, and says why (exit 2)', async () => {
    dir = scratchDir('reload-bad');
    writeConfig('ignite.config.mjs', `{ name: 'db', command: ['sleep', '506'] },`);
    expect((await cli('up', '-d')).code).toBe(0);
    const before = await pids();
    writeConfig('ignite.config.mjs', `{ name: 'db', command: ['sleep', '506'], restart: 'sometimes' },`);
    const reload = await cli('reload');
    expect(reload.code).toBe(2);
    expect(reload.stderr).toContain('tasks[0].restart');
    expect(await pids()).toEqual(before);
  });

  it('refuses a -c naming another file than the one the stack runs (exit 2)', async () => {
    dir = scratchDir('reload-other');
    writeConfig('ignite.config.mjs', `{ name: 'db', command: ['sleep', '507'] },`);
    writeConfig('other.mjs', `{ name: 'db', command: ['sleep', '507'] },\n{ name: 'two', command: ['sleep', '508'] },`);
    expect((await cli('up', '-d')).code).toBe(0);
    const reload = await cli('reload', '-c', 'other.mjs');
    expect(reload.code).toBe(2);
    expect(reload.stderr).toMatch(/^ignite: the stack here runs .*ignite\.config\.mjs, and a reload applies that file: edit it, or `ignite down -c .*ignite\.config\.mjs` and start .*other\.mjs\n$/);
    expect(Object.keys(await pids())).toEqual(['db']);
  });

  it('tells how to stop the stack of another config in words that do stop it', async () => {
    dir = scratchDir('reload-other-hint');
    writeConfig('one.mjs', `{ name: 'db', command: ['sleep', '509'] },`);
    writeConfig('two.mjs', `{ name: 'db', command: ['sleep', '509'] },`);
    expect((await cli('up', '-d', '-c', 'one.mjs')).code).toBe(0);
    const daemon = JSON.parse(readFileSync(join(dir, '.ignite', 'run', 'state.json'), 'utf8')) as { pid: number };
    try {
      const reload = await cli('reload', '-c', 'two.mjs');
      expect(reload.code).toBe(2);
      const hint = /or `ignite ([^`]*)` and start/.exec(reload.stderr)?.[1] ?? '';
      expect(hint).toMatch(/^down -c \S*\/one\.mjs$/);
      expect((await cli(...hint.split(' '))).code).toBe(0);
      expect(isAlive(daemon.pid)).toBe(false);
    } finally {
      await cli('down', '-c', 'one.mjs');
    }
  });
});
