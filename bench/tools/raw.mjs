// The floor: one plain shell starting the same children with no supervision at all.
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';

export default {
  name: 'raw',
  version: () => '/bin/sh',
  available: () => true,
  launch(work) {
    const out = openSync(join(work.logDir, 'all.log'), 'a');
    const script = work.children.map((c) => `/bin/sh ${c.script} > ${join(work.logDir, `${c.name}.log`)} 2>&1 &`).join('\n') + '\nwait\n';
    const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: ['ignore', out, out] });
    return {
      proc: child,
      pids: () => [child.pid],
      logFile: (name) => join(work.logDir, `${name}.log`),
      stop: () => {
        process.kill(-child.pid, 'SIGTERM');
      },
      kill9: () => process.kill(child.pid, 'SIGKILL'),
    };
  },
};
