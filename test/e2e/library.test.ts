/**
 * The library API as an embedding script uses it (SPEC "Library API"): `ignite-run`
 * imported by a real node process, a stack of real children, a plugin control server
 * driven through `controlApi()`, and nothing left running after `down()`.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, runCli, scratchDir } from './cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

const CONFIG = `import { defineConfig, ready } from 'ignite-run';
export default defineConfig({
  tasks: [
    { name: 'db', command: ['sh', '-c', 'echo accepting; exec sleep 60'], ready: ready.log('accepting') },
    { name: 'api', command: ['sh', '-c', 'exec sleep 60'], dependsOn: ['db'] },
  ],
});
`;

const EMBED = `import { loadConfig, Supervisor } from 'ignite-run';
const sup = new Supervisor(await loadConfig());
const states = [];
sup.on('state', (event) => states.push(event.task + ':' + event.state));
const up = await sup.up();
const api = await sup.controlApi();
const running = api.status().map((task) => ({ name: task.name, state: task.state, pid: task.pid }));
await api.restart(['api']);
const restarted = api.status(['api'])[0];
await sup.down();
console.log(JSON.stringify({ up, running, restartedPid: restarted.pid, states }));
`;

const MISUSE = `import { defineConfig, Supervisor } from 'ignite-run';
try {
  new Supervisor(defineConfig({ tasks: [{ name: 'a', command: 'true' }] }));
  console.log('constructed');
} catch (error) {
  console.log(error.name + ': ' + error.message);
}
`;

function project(files: Record<string, string>): string {
  const dir = scratchDir('library');
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('the library API', () => {
  it('starts a stack, drives it through controlApi() and leaves nothing running', async () => {
    const dir = project({ 'ignite.config.ts': CONFIG, 'embed.mjs': EMBED });
    const result = await runCli([], { cwd: dir, argv: [process.execPath, 'embed.mjs'], timeoutMs: 30_000 });
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout) as {
      running: { name: string; state: string; pid: number }[];
      restartedPid: number;
      states: string[];
    };
    expect(out.running.map((t) => `${t.name}:${t.state}`)).toEqual(['db:ready', 'api:ready']);
    const apiPid = out.running.find((t) => t.name === 'api')?.pid ?? 0;
    expect(out.restartedPid).toBeGreaterThan(0);
    expect(out.restartedPid).not.toBe(apiPid);
    expect(out.states).toContain('db:ready');
    expect(out.states.at(-1)).toMatch(/:stopped$/);
    for (const pid of [...out.running.map((t) => t.pid), out.restartedPid]) expect(existsSync(`/proc/${String(pid)}`)).toBe(false);
  });

  it('ends right after down(), even while a hook of a stopped task has not settled', async () => {
    const config = `export default { tasks: [{ name: 'svc', command: ['sleep', '60'], readyTimeout: '20s', hooks: { onExit: () => new Promise(() => {}) } }] };\n`;
    const embed = `import { loadConfig, Supervisor } from 'ignite-run';
const sup = new Supervisor(await loadConfig());
await sup.up();
await sup.down();
console.log(sup.status()[0].state);
`;
    const dir = project({ 'ignite.config.mjs': config, 'embed.mjs': embed });
    const began = Date.now();
    const result = await runCli([], { cwd: dir, argv: [process.execPath, 'embed.mjs'], timeoutMs: 10_000 });
    expect(result).toMatchObject({ code: 0, stdout: 'stopped\n', stderr: '' });
    expect(Date.now() - began).toBeLessThan(8000);
  });

  it('refuses a config that was not loaded, at once and with what to do', async () => {
    const dir = project({ 'misuse.mjs': MISUSE });
    const result = await runCli([], { cwd: dir, argv: [process.execPath, 'misuse.mjs'] });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('TypeError: new Supervisor() takes the stack that loadConfig() returns');
    expect(result.stdout).toContain('new Supervisor(await loadConfig())');
  });
});
