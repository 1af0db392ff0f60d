import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, removeDir, runCli, scratchDir, waitForOutput } from './cli.js';

const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * A supervisor of an older ignite, as a running stack after an upgrade meets the new CLI:
 * its /v1/info has no `version` (or the one given) and any endpoint it lacks is 404 not-found.
 */
const OLD_SUPERVISOR = `
const { createServer } = require('node:http');
const [socket, configFile, version] = process.argv.slice(1);
createServer((req, res) => {
  const path = req.url.split('?')[0];
  const send = (status, body) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
  if (path === '/v1/info') return send(200, { pid: process.pid, configFile, startedAt: new Date().toISOString(), stopping: false, socketPath: socket, httpUrl: null, ...(version ? { version } : {}) });
  if (path === '/v1/status') return send(200, { tasks: [] });
  send(404, { error: { reason: 'not-found', message: 'no such endpoint: ' + path } });
}).listen(socket, () => console.log('listening'));
`;

let dir = '';
let old: ChildProcess | undefined;

afterEach(() => {
  if (old?.pid !== undefined) process.kill(old.pid, 'SIGKILL');
  old = undefined;
  removeDir(dir);
});

async function startOld(version?: string): Promise<number> {
  dir = scratchDir('older-supervisor');
  writeFileSync(join(dir, 'ignite.config.mjs'), `export default { tasks: [{ name: 'a', command: ['sleep', '60'] }] };\n`);
  mkdirSync(join(dir, '.ignite/run'), { recursive: true, mode: 0o700 });
  const args = ['-e', OLD_SUPERVISOR, join(dir, '.ignite/run/control.sock'), join(dir, 'ignite.config.mjs'), ...(version === undefined ? [] : [version])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  old = child;
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  await waitForOutput(() => out, (text) => text.includes('listening'));
  return child.pid ?? 0;
}

describe('a stack started by an older ignite, reached by this one', () => {
  it('ps works and warns that the stack runs an older ignite; reload says the supervisor lacks it and what to do', async () => {
    const pid = await startOld();
    const ps = await runCli(['ps'], { cwd: dir });
    expect(ps.code).toBe(0);
    expect(ps.stderr).toBe(
      `ignite: warning: the stack here (pid ${pid}) was started by an older ignite, and this is ignite ${VERSION}: restart it with this one (\`ignite down\`, then \`ignite up -d\`)\n`,
    );
    const reload = await runCli(['reload'], { cwd: dir });
    expect(reload.code).toBe(1);
    expect(reload.stderr).toBe(
      `ignite: the running supervisor (pid ${pid}) is an older ignite than this one, which has no POST /v1/reload: restart the stack with this ignite to use it (\`ignite down\`, then \`ignite up -d\`)\n`,
    );
  });

  it('names the version a supervisor reports', async () => {
    const pid = await startOld('0.0.1');
    const reload = await runCli(['reload'], { cwd: dir });
    expect(reload.code).toBe(1);
    expect(reload.stderr).toContain(`the running supervisor (pid ${pid}) is ignite 0.0.1, which has no POST /v1/reload`);
  });

  it('a stack of this version reports it on /v1/info and in state.json, and ps warns of nothing', async () => {
    dir = scratchDir('same-version');
    writeFileSync(join(dir, 'ignite.config.mjs'), `export default { tasks: [{ name: 'a', command: ['sleep', '60'] }] };\n`);
    try {
      expect((await runCli(['up', '-d'], { cwd: dir })).code).toBe(0);
      const state = JSON.parse(readFileSync(join(dir, '.ignite/run/state.json'), 'utf8')) as { version?: string };
      expect(state.version).toBe(VERSION);
      const ps = await runCli(['ps'], { cwd: dir });
      expect({ code: ps.code, stderr: ps.stderr }).toEqual({ code: 0, stderr: '' });
    } finally {
      await runCli(['down'], { cwd: dir });
    }
  });
});
