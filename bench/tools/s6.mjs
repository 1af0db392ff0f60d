// s6 (Debian's `s6`): one s6-svscan over a scan directory, one s6-supervise per child.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { has } from '../lib.mjs';

function supervisePids(scan) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
      if (cmd.startsWith('s6-supervise\0') && readFileSync(`/proc/${entry}/environ`, 'latin1') !== null) {
        const cwd = spawnSync('readlink', [`/proc/${entry}/cwd`], { encoding: 'utf8' }).stdout.trim();
        if (cwd.startsWith(scan)) pids.push(Number(entry));
      }
    } catch {
      // gone
    }
  }
  return pids;
}

export default {
  name: 's6',
  version: () => `s6 ${spawnSync('dpkg-query', ['-W', '-f', '${Version}', 's6'], { encoding: 'utf8' }).stdout}`,
  available: () => has('s6-svscan'),
  launch(work, { restart = 'never', stopTimeoutMs = 10_000, logs = false } = {}) {
    const scan = join(work.dir, 'scan');
    for (const c of work.children) {
      const svc = join(scan, c.name);
      mkdirSync(svc, { recursive: true });
      const redirect = logs ? '' : ` > ${join(work.logDir, `${c.name}.log`)} 2>&1`;
      writeFileSync(join(svc, 'run'), `#!/bin/sh\nexec /bin/sh ${c.script}${redirect}\n`, { mode: 0o755 });
      if (restart !== 'always') writeFileSync(join(svc, 'finish'), '#!/bin/sh\nexec s6-svc -O .\n', { mode: 0o755 });
      writeFileSync(join(svc, 'timeout-kill'), `${stopTimeoutMs}\n`);
      if (logs) {
        mkdirSync(join(svc, 'log'), { recursive: true });
        const dir = join(work.logDir, c.name);
        writeFileSync(join(svc, 'log', 'run'), `#!/bin/sh\nexec s6-log -b n20 s100000000 ${dir}\n`, { mode: 0o755 });
      }
    }
    const child = spawn('s6-svscan', [scan], { stdio: 'ignore' });
    return {
      proc: child,
      pids: () => [child.pid, ...supervisePids(scan)],
      logFile: (name) => (logs ? join(work.logDir, name, 'current') : join(work.logDir, `${name}.log`)),
      stop: () => spawnSync('s6-svscanctl', ['-t', scan]),
      kill9: () => child.kill('SIGKILL'),
    };
  },
};
