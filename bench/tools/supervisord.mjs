// supervisord (Debian's `supervisor`), with the settings that give it its best showing.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { has, singleProcess, version } from '../lib.mjs';

export default {
  name: 'supervisord',
  version: () => `supervisord ${version(['supervisord', '--version'])}`,
  available: () => has('supervisord'),
  launch(work, { restart = 'never', stopTimeoutMs = 10_000 } = {}) {
    const programs = work.children.map((c) =>
      [
        `[program:${c.name}]`,
        `command=/bin/sh ${c.script}`,
        `autorestart=${restart === 'always' ? 'true' : 'false'}`,
        'startsecs=0',
        'startretries=1000000',
        `stopwaitsecs=${Math.max(1, Math.round(stopTimeoutMs / 1000))}`,
        'stopasgroup=true',
        'killasgroup=true',
        'redirect_stderr=true',
        `stdout_logfile=${join(work.logDir, `${c.name}.log`)}`,
        'stdout_logfile_maxbytes=0',
      ].join('\n'),
    );
    const conf = join(work.dir, 'supervisord.conf');
    writeFileSync(
      conf,
      [
        '[supervisord]',
        'nodaemon=true',
        `logfile=${join(work.dir, 'supervisord.log')}`,
        `pidfile=${join(work.dir, 'supervisord.pid')}`,
        `childlogdir=${work.logDir}`,
        'loglevel=warn',
        ...programs,
        // one group: supervisord starts and stops a group's programs together, not one group per tick
        '[group:bench]',
        `programs=${work.children.map((c) => c.name).join(',')}`,
      ].join('\n') + '\n',
    );
    const child = spawn('supervisord', ['-c', conf], { stdio: 'ignore' });
    return singleProcess(child, work);
  },
};
