// PM2 (npm), daemon start included, in a private PM2_HOME (the daemon is killed by pid afterwards).
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { peerBin, peerDir } from '../peers.mjs';

export default {
  name: 'pm2',
  version: () => `pm2 ${JSON.parse(readFileSync(join(peerDir('pm2'), 'package.json'), 'utf8')).version}`,
  available: () => existsSync(peerBin('pm2')),
  launch(work, { restart = 'never', stopTimeoutMs = 10_000 } = {}) {
    const home = join(work.dir, 'pm2home');
    const env = { ...process.env, PM2_HOME: home, PM2_DISCRETE_MODE: 'true' };
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
      vizion: false,
      pmx: false,
      automation: false,
      treekill: true,
    }));
    const eco = join(work.dir, 'ecosystem.json');
    writeFileSync(eco, JSON.stringify({ apps }));
    const child = spawn(process.execPath, [peerBin('pm2'), 'start', eco], { env, stdio: 'ignore' });
    let known = [];
    const daemon = () => {
      try {
        known = [Number(readFileSync(join(home, 'pm2.pid'), 'utf8'))].filter((pid) => pid > 0);
      } catch {
        // not written yet
      }
      return known;
    };
    const kill = () => daemon().forEach((pid) => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    });
    return {
      proc: child,
      roots: () => [child.pid, ...daemon()],
      logFile: (name) => join(work.logDir, `${name}.log`),
      stop: () => spawnSync(process.execPath, [peerBin('pm2'), 'kill'], { env, stdio: 'ignore' }),
      kill9: kill,
      cleanup: kill,
    };
  },
};
