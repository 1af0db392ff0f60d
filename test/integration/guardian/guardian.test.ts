import { afterEach, describe, it, expect } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startGuardian, type Guardian } from '../../../src/supervisor/process/guardian.js';
import { isAlive } from '../../helpers/procs.js';

const SUPERVISOR = fileURLToPath(new URL('../../fixtures/scripts/guarded-supervisor.mjs', import.meta.url));
const GUARDIAN = fileURLToPath(new URL('../../../src/supervisor/process/guardian.ts', import.meta.url));
/** Linux's O_CLOEXEC as shown in /proc/PID/fdinfo (octal). */
const O_CLOEXEC = 0o2000000;
const TREE = 'sleep 1000 & sleep 1000 & (sleep 1000 & wait) & wait';

const groups: number[] = [];
const pids: number[] = [];
const guardians: Guardian[] = [];

afterEach(async () => {
  for (const guardian of guardians.splice(0)) await guardian.close();
  for (const pgid of groups.splice(0)) signal(-pgid, 'SIGKILL');
  for (const pid of pids.splice(0)) signal(pid, 'SIGKILL');
});

function signal(target: number, name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch {
    // already gone
  }
}

/** Live (non-zombie) pids whose process group is `pgid`. */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry));
    } catch {
      // ended while we looked
    }
  }
  return members;
}

/** The guardian's descriptors past stdio that are not this process's own inherited (non-CLOEXEC) ones. */
function notInherited(pid: number): string[] {
  const target = (owner: string, fd: string): string | undefined => {
    try {
      return readlinkSync(`/proc/${owner}/fd/${fd}`);
    } catch {
      return undefined;
    }
  };
  const inherited = (fd: string): boolean => {
    const flags = /^flags:\s+(\d+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'))?.[1];
    return flags !== undefined && (parseInt(flags, 8) & O_CLOEXEC) === 0;
  };
  return readdirSync(`/proc/${pid}/fd`)
    .filter((fd) => Number(fd) > 2)
    .filter((fd) => {
      const mine = target('self', fd);
      return mine === undefined || mine !== target(String(pid), fd) || !inherited(fd);
    })
    .map((fd) => `${fd} -> ${target(String(pid), fd) ?? '?'}`);
}

async function until(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A process tree in its own group: a shell holding sleeps and a sub-shell with its own sleep. */
async function startTree(): Promise<{ pgid: number; members: number[] }> {
  const child: ChildProcess = spawn('/bin/sh', ['-c', TREE], { detached: true, stdio: 'ignore' });
  const pgid = child.pid!;
  child.unref();
  groups.push(pgid);
  await until(() => groupMembers(pgid).length >= 5, 'the tree to start', 5000);
  return { pgid, members: groupMembers(pgid) };
}

function begin(): Guardian {
  const guardian = startGuardian();
  guardians.push(guardian);
  return guardian;
}

describe('guardian', () => {
  it('kills every tracked process tree within a second when the supervisor is SIGKILLed', async () => {
    const supervisor = spawn(process.execPath, ['--import', 'tsx', SUPERVISOR], { stdio: ['ignore', 'pipe', 'inherit'] });
    pids.push(supervisor.pid!);
    const [first] = (await once(createInterface({ input: supervisor.stdout }), 'line')) as [string];
    const { pgid, guardian } = JSON.parse(first) as { pgid: number; guardian: number };
    groups.push(pgid);
    pids.push(guardian);
    await until(() => groupMembers(pgid).length >= 5, 'the tree to start', 5000);
    const members = groupMembers(pgid);
    expect(isAlive(guardian)).toBe(true);

    supervisor.kill('SIGKILL');
    const killedAt = Date.now();
    await until(() => members.every((pid) => !isAlive(pid)), 'the tree to die', 1500);
    expect(Date.now() - killedAt).toBeLessThan(1000);
    await until(() => !isAlive(guardian), 'the guardian to exit', 1500);
  });

  it('leaves an untracked group alone and kills the tracked ones when closed', async () => {
    const guardian = begin();
    const kept = await startTree();
    const doomed = await startTree();
    guardian.track(kept.pgid);
    guardian.track(doomed.pgid);
    guardian.track(doomed.pgid);
    guardian.untrack(kept.pgid);
    guardian.untrack(12345678);
    await guardian.close();
    await until(() => doomed.members.every((pid) => !isAlive(pid)), 'the tracked tree to die', 1500);
    expect(kept.members.every(isAlive)).toBe(true);
    expect(isAlive(guardian.pid!)).toBe(false);
  });

  it('keeps the right groups after many groups come and go', async () => {
    const guardian = begin();
    const kept = await startTree();
    const doomed = await startTree();
    guardian.track(kept.pgid);
    const base = 2 ** 22 + 100;
    for (let i = 0; i < 300; i++) guardian.track(base + i);
    guardian.track(doomed.pgid);
    for (let i = 0; i < 300; i++) guardian.untrack(base + i);
    guardian.untrack(kept.pgid);
    guardian.untrack(doomed.pgid);
    guardian.track(doomed.pgid);
    await guardian.close();
    await until(() => doomed.members.every((pid) => !isAlive(pid)), 'the tracked tree to die', 1500);
    expect(kept.members.every(isAlive)).toBe(true);
  });

  it('kills what escaped the tracked groups by its IGNITE_RUN, and no other run\'s processes', async () => {
    const run = randomBytes(8).toString('hex');
    const guardian = startGuardian(run);
    guardians.push(guardian);
    // a task's group whose shell put a sleep in a session of its own, as a daemon does
    const escape = (id: string): ChildProcess =>
      spawn('/bin/sh', ['-c', 'setsid sleep 1000 & echo $!; exec sleep 1000'], {
        detached: true,
        stdio: ['ignore', 'pipe', 'ignore'],
        env: { ...process.env, IGNITE_RUN: id },
      });
    const ours = escape(run);
    const theirs = escape(randomBytes(8).toString('hex'));
    const escapees: number[] = [];
    for (const child of [ours, theirs]) {
      groups.push(child.pid!);
      const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
      escapees.push(Number(line));
      pids.push(Number(line));
    }
    const [escapee, bystander] = escapees as [number, number];
    await until(() => groupMembers(escapee).length === 1 && groupMembers(bystander).length === 1, 'the sleeps to leave their groups', 2000);
    guardian.track(ours.pid!);
    await guardian.close();
    await until(() => !isAlive(escapee), 'the escapee to die', 1500);
    expect(isAlive(ours.pid!)).toBe(false);
    expect(isAlive(bystander)).toBe(true);
  });

  it('exits at once on close when nothing is tracked', async () => {
    const guardian = begin();
    const started = Date.now();
    await guardian.close();
    expect(isAlive(guardian.pid!)).toBe(false);
    expect(Date.now() - started).toBeLessThan(300);
  });

  it('kills a stopped process group too', async () => {
    const guardian = begin();
    const tree = await startTree();
    guardian.track(tree.pgid);
    process.kill(-tree.pgid, 'SIGSTOP');
    await guardian.close();
    await until(() => tree.members.every((pid) => !isAlive(pid)), 'the stopped tree to die', 1500);
  });

  it('ignores SIGINT and SIGHUP and still kills what it tracks', async () => {
    const guardian = begin();
    const tree = await startTree();
    guardian.track(tree.pgid);
    process.kill(guardian.pid!, 'SIGINT');
    process.kill(guardian.pid!, 'SIGHUP');
    // only a guardian that survived the signals can act on the end of its pipe
    await guardian.close();
    await until(() => tree.members.every((pid) => !isAlive(pid)), 'the tree to die', 1500);
  });

  it('does not keep the supervisor running, and exits after it', async () => {
    const script = `import { startGuardian } from ${JSON.stringify(GUARDIAN)};
      const guardian = startGuardian();
      guardian.track(${String(2 ** 22 + 7)});
      console.log(guardian.pid);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    pids.push(child.pid!);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    const guardianPid = Number(output.trim());
    pids.push(guardianPid);
    await until(() => !isAlive(guardianPid), 'the guardian to exit', 1500);
  });

  it('runs in its own session without the supervisor\'s other files', async () => {
    const guardian = begin();
    const pid = guardian.pid!;
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    expect(Number(fields[3])).toBe(pid); // session id
    // Beyond stdin (the pipe), stdout and stderr (/dev/null): only what this process itself
    // inherited without close-on-exec (the machine's, not the supervisor's) may be there.
    let extra = notInherited(pid);
    await until(() => (extra = notInherited(pid)).length === 0, 'the guardian to settle', 2000).catch(() => undefined);
    expect(extra).toEqual([]);
    await guardian.close();
  });
});
