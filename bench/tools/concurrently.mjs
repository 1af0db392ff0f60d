// concurrently (npm): all children as arguments, raw output to one file (it has no log files of its own).
import { spawn } from 'node:child_process';
import { openSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { singleProcess } from '../lib.mjs';
import { peerBin, peerDir } from '../peers.mjs';

export default {
  name: 'concurrently',
  version: () => `concurrently ${JSON.parse(readFileSync(join(peerDir('concurrently'), 'package.json'), 'utf8')).version}`,
  available: () => existsSync(peerBin('concurrently')),
  launch(work, { restart = 'never' } = {}) {
    const out = openSync(join(work.logDir, 'all.log'), 'a');
    const restartArgs = restart === 'always' ? ['--restart-tries', '-1', '--restart-after', '0'] : [];
    const args = ['--raw', ...restartArgs, ...work.children.map((c) => `/bin/sh ${c.script}`)];
    const child = spawn(process.execPath, [peerBin('concurrently'), ...args], { stdio: ['ignore', out, out] });
    return singleProcess(child, work, () => join(work.logDir, 'all.log'));
  },
};
