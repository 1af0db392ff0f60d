// A second floor: a bare Node.js script doing the least a Node supervisor must do with the
// same children — spawn each (own group, stdout/stderr piped), copy the pipes to the log
// file, respawn on exit, TERM then KILL of each group on stop. No config, no readiness, no
// guardian: what any supervisor built on Node pays before it does anything of its own.
import { spawn } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { singleProcess } from '../lib.mjs';

const runner = join(import.meta.dirname, 'node-floor-runner.mjs');

export default {
  name: 'node',
  version: () => `node ${process.version} (child_process.spawn)`,
  available: () => true,
  launch(work, { restart = 'never', stopTimeoutMs = 10_000 } = {}) {
    const plan = join(work.dir, 'node-floor.json');
    const children = work.children.map((c) => ({ script: c.script, log: join(work.logDir, `${c.name}.log`) }));
    writeFileSync(plan, JSON.stringify({ children, restart, stopTimeoutMs }));
    const out = openSync(join(work.dir, 'node-floor.out'), 'a');
    const child = spawn(process.execPath, [runner, plan], { stdio: ['ignore', out, out] });
    return singleProcess(child, work);
  },
};
