import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/procs.js';
import { removeDir, runCli, scratchDir, startCli, waitForOutput } from './cli.js';

// t takes 0.5 s to stop; once completes at startup, so t is the stack's last running task
const CONFIG = `import { defineConfig, defineTask } from 'ignite-run';
const t = defineTask({ name: 't', command: "trap 'sleep 0.5; exit 0' TERM; while :; do sleep 0.1; done" });
const once = defineTask({ name: 'once', command: 'echo hi', oneshot: true });
export default defineConfig({ tasks: [t, once] });
`;

const pids: number[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const pid of pids.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  for (const dir of dirs.splice(0)) removeDir(dir);
});

describe('an action that ends a foreground up', () => {
  it('stop of the last running task says it stopped it and exits 0, and the up ends with 0', async () => {
    const dir = scratchDir('last-task');
    dirs.push(dir);
    writeFileSync(join(dir, 'ignite.config.mjs'), CONFIG);
    const up = startCli(['up', '--output', 'plain'], { cwd: dir });
    if (up.child.pid !== undefined) pids.push(up.child.pid);
    await waitForOutput(up.stdout, (text) => text.includes('once ✔ completed') && /^t +● ready/m.test(text));
    const ps = JSON.parse((await runCli(['ps', '--json'], { cwd: dir })).stdout) as { name: string; pid: number | null }[];
    const task = ps.find((row) => row.name === 't')?.pid;
    if (typeof task === 'number') pids.push(task);
    const stop = await runCli(['stop', 't'], { cwd: dir });
    expect(stop).toMatchObject({ code: 0, stderr: 'ignite: stopped t\n' });
    expect((await up.done).code).toBe(0);
  });
});

// db is ready only once the file `go` exists (never, here); api waits for it
const GATED = `import { defineConfig, defineTask, ready } from 'ignite-run';
const db = defineTask({ name: 'db', command: 'sleep 1000', ready: ready.file('go') });
const api = defineTask({ name: 'api', command: 'sleep 1000', dependsOn: [db] });
export default defineConfig({ tasks: [db, api] });
`;

describe('a stop during startup', () => {
  it('up -d returns 0 once a stopped dependency left its dependent blocked, which ps explains', async () => {
    const dir = scratchDir('stop-startup');
    dirs.push(dir);
    writeFileSync(join(dir, 'ignite.config.mjs'), GATED);
    const up = startCli(['up', '-d'], { cwd: dir });
    try {
      const deadline = Date.now() + 10_000;
      let db: { state: string; pid: number | null } | undefined;
      for (let delay = 25; db?.state !== 'starting' && Date.now() < deadline; delay = Math.min(delay * 2, 200)) {
        const ps = await runCli(['ps', '--json'], { cwd: dir });
        db = ps.code === 0 ? (JSON.parse(ps.stdout) as { name: string; state: string; pid: number | null }[]).find((row) => row.name === 'db') : undefined;
        if (db?.state !== 'starting') await new Promise((resolve) => setTimeout(resolve, delay));
      }
      if (typeof db?.pid === 'number') pids.push(db.pid);
      expect(await runCli(['stop', 'db'], { cwd: dir })).toMatchObject({ code: 0, stderr: 'ignite: stopped db\n' });
      const settled = await up.done;
      expect(settled.code).toBe(0);
      expect(settled.stdout).toContain('api (blocked): not started because db was stopped');
    } finally {
      await runCli(['down'], { cwd: dir });
    }
  });
});

