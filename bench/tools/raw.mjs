// The floor: one plain shell starting the same children with no supervision at all
// (a `while` loop for respawns; TERM then KILL of the group for a stop with a timeout).
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';

export default {
  name: 'raw',
  version: () => '/bin/sh (dash)',
  available: () => true,
  launch(work, { restart = 'never', stopTimeoutMs = 10_000 } = {}) {
    const out = openSync(join(work.dir, 'raw.out'), 'a');
    const one = (c) => `/bin/sh ${c.script} > ${join(work.logDir, `${c.name}.log`)} 2>&1`;
    const script = work.children.map((c) => (restart === 'always' ? `while :; do ${one(c)}; done &` : `${one(c)} &`)).join('\n') + '\nwait\n';
    const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: ['ignore', out, out] });
    let killer;
    return {
      proc: child,
      roots: () => [child.pid],
      logFile: (name) => join(work.logDir, `${name}.log`),
      stop: () => {
        process.kill(-child.pid, 'SIGTERM');
        killer = setTimeout(() => {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // all gone
          }
        }, stopTimeoutMs);
      },
      kill9: () => process.kill(child.pid, 'SIGKILL'),
      cleanup: () => {
        clearTimeout(killer);
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // all gone
        }
      },
    };
  },
};
