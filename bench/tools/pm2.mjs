// PM2 (npm), daemon start included, in a private PM2_HOME.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { peerBin } from '../peers.mjs';

export default {
  name: 'pm2',
  version: () => `pm2 ${JSON.parse(readFileSync(join(peerBin('pm2'), '../../pm2/package.json'), 'utf8')).version}`,
  available: () => existsSync(peerBin('pm2')),
  launch(work, { restart = 'never', stopTimeoutMs = 10_000 } = {}) {
    const home = join(work.dir, 'pm2home');
    const env = { ...process.env, PM2_HOME: home };
    const apps = work.children.map((c) => ({
      name: c.name,
      script: '/bin/sh',
      args: [c.script],
      interpreter: 'none',
      autorestart: restart === 'always',
      restart_delay: 0,
      min_uptime: 0,
      max_restarts: 1_000_000,
      kill_timeout: stopTimeoutMs,
      out_file: join(work.logDir, `${c.name}.log`),
      error_file: join(work.logDir, `${c.name}.log`),
      merge_logs: true,
    }));
    const eco = join(work.dir, 'ecosystem.json');
    writeFileSync(eco, JSON.stringify({ apps }));
    const child = spawn(peerBin('pm2'), ['start', eco], { env, stdio: 'ignore' });
    const daemonPid = () => {
      try {
        return [Number(readFileSync(join(home, 'pm2.pid'), 'utf8'))];
      } catch {
        return [];
      }
    };
    return {
      proc: child,
      pids: daemonPid,
      logFile: (name) => join(work.logDir, `${name}.log`),
      stop: () => spawnSync(peerBin('pm2'), ['kill'], { env, stdio: 'ignore' }),
      kill9: () => daemonPid().forEach((pid) => process.kill(pid, 'SIGKILL')),
      cleanup: () => daemonPid().forEach((pid) => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }),
    };
  },
};
