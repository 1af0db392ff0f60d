// Installs the peers that are missing into a scratch location (bench/.peers for npm ones).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { has } from './lib.mjs';

const peersDir = join(import.meta.dirname, '.peers');
export const peerDir = (name) => join(peersDir, 'node_modules', name);
/** The peer's JavaScript entry (run with this node, not through a `.bin` shim). */
export function peerBin(name) {
  try {
    return join(peerDir(name), JSON.parse(readFileSync(join(peerDir(name), 'package.json'), 'utf8')).bin[name]);
  } catch {
    return join(peerDir(name), 'missing');
  }
}

export function installPeers() {
  const missing = [['supervisor', 'supervisord'], ['s6', 's6-svscan'], ['hyperfine', 'hyperfine']].filter(([, bin]) => !has(bin));
  if (missing.length > 0) {
    console.log(`installing ${missing.map(([pkg]) => pkg).join(', ')} from Debian…`);
    // keep Debian from starting supervisord as a service on install
    writeFileSync('/usr/sbin/policy-rc.d', '#!/bin/sh\nexit 101\n', { mode: 0o755 });
    try {
      spawnSync('apt-get', ['update'], { stdio: 'ignore' });
      spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing.map(([pkg]) => pkg)], { stdio: 'inherit' });
    } finally {
      rmSync('/usr/sbin/policy-rc.d', { force: true });
    }
  }
  if (!existsSync(peerBin('pm2')) || !existsSync(peerBin('concurrently'))) {
    console.log('installing pm2 and concurrently into bench/.peers…');
    mkdirSync(peersDir, { recursive: true });
    spawnSync('npm', ['install', '--prefix', peersDir, '--no-audit', '--no-fund', 'pm2@7', 'concurrently@9'], { stdio: 'inherit' });
  }
}
