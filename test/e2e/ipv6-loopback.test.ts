import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, hasIpv6Loopback } from '../helpers/net.js';
import { removeDir, runCli, scratchDir } from './cli.js';

/** A Node server as `listen(port, 'localhost')` makes it where localhost resolves to ::1 first (macOS, vite). */
const config = (port: number): string => `import { defineConfig, defineTask, ready } from 'ignite-run';
const server = "require('node:net').createServer((s) => s.end()).listen(${port}, '::1', () => console.log('pid', process.pid, 'on ::1'))";
const api = defineTask({ name: 'api', command: ['node', '-e', server], ready: ready.tcp(${port}), readyTimeout: '3s', restart: 'never' });
const check = defineTask({ name: 'check', command: 'echo released', oneshot: true, dependsOn: [api] });
export default defineConfig({ tasks: [api, check] });
`;

describe.skipIf(!(await hasIpv6Loopback()))('a server listening on the IPv6 loopback only', () => {
  it('passes ready.tcp(port) and releases its dependents (it sat in starting until readyTimeout)', async () => {
    const dir = scratchDir('ipv6');
    try {
      const port = await freePort('::1');
      writeFileSync(join(dir, 'ignite.config.mjs'), config(port));
      const result = await runCli(['run', 'check'], { cwd: dir });
      expect(result.stdout).toContain(`api   ● waiting for tcp:${port}`);
      expect(result.stdout).toMatch(/api {3}● ready in \d+ms/);
      expect(result.stdout).toContain('check | released');
      expect(result.code).toBe(0);
      const pid = /pid (\d+) on ::1/.exec(result.stdout)?.[1];
      expect(pid).toBeDefined();
      expect(existsSync(`/proc/${pid ?? ''}`)).toBe(false);
    } finally {
      removeDir(dir);
    }
  });
});
