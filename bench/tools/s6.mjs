// s6 (Debian's `s6`): one s6-svscan over a scan directory, one s6-supervise per child
// (and an s6-log per child for S3). s6-supervise outlives a SIGKILLed s6-svscan, so
// cleanup finds them by their working directory and kills them by pid.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { has } from '../lib.mjs';

function supervisePids(scan) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
      if (cmd.startsWith('s6-supervise\0') && readlinkSync(`/proc/${entry}/cwd`).startsWith(scan)) pids.push(Number(entry));
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
      const redirect = logs ? ' 2>&1' : ` > ${join(work.logDir, `${c.name}.log`)} 2>&1`;
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
    const killSupervisors = () => {
      for (const pid of supervisePids(scan)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    };
    return {
      proc: child,
      roots: () => [child.pid, ...supervisePids(scan)],
      logFile: (name) => (logs ? join(work.logDir, name, 'current') : join(work.logDir, `${name}.log`)),
      stop: () => spawnSync('s6-svscanctl', ['-t', scan]),
      kill9: () => child.kill('SIGKILL'),
      cleanup: killSupervisors,
    };
  },
};
