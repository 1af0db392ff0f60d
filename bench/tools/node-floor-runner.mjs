// Run by node-floor.mjs: `node node-floor-runner.mjs plan.json`.
import { spawn } from 'node:child_process';
import { openSync, readFileSync, writeSync } from 'node:fs';

const { children, restart, stopTimeoutMs } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const running = new Map();
let stopping = false;

function start(child, log) {
  const proc = spawn('/bin/sh', [child.script], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.set(proc.pid, proc);
  // one blocking write per chunk read: a file takes it at once, and nothing waits on a stream's buffer
  const copy = (chunk) => writeSync(log, chunk);
  proc.stdout.on('data', copy);
  proc.stderr.on('data', copy);
  proc.on('exit', () => {
    running.delete(proc.pid);
    if (!stopping && restart === 'always') start(child, log);
    else if (stopping && running.size === 0) process.exit(0);
  });
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

for (const child of children) start(child, openSync(child.log, 'a'));

process.on('SIGTERM', () => {
  stopping = true;
  if (running.size === 0) process.exit(0);
  for (const pid of running.keys()) signalGroup(pid, 'SIGTERM');
  setTimeout(() => {
    for (const pid of running.keys()) signalGroup(pid, 'SIGKILL');
  }, stopTimeoutMs).unref();
});
