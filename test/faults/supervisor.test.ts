import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../helpers/procs.js';
import { liveTagged, signal, useFaults, waitFor, waitGone, zombiesTagged, CLI } from './harness.js';
import { parseEvents, stateAt } from './lib/json-events.js';

const fault = useFaults();

/** db ← api ← web, each with a grandchild; every task records the signals it gets in <name>.sig. */
function threeTierStack(options: { stopSignal?: string; ignoreTerm?: boolean; stopTimeout?: string } = {}): void {
  const trap = (name: string): string =>
    options.ignoreTerm === true
      ? `trap '' TERM; sleep 1000 & echo ${name} up; wait`
      : `trap 'echo TERM >> ${name}.sig; exit 0' TERM; trap 'echo INT >> ${name}.sig; sleep 0.3; exit 0' INT; trap 'echo HUP >> ${name}.sig; exit 0' HUP; sleep 1000 & echo ${name} up; while :; do sleep 0.05; done`;
  const stop = `stop: { signal: '${options.stopSignal ?? 'SIGTERM'}', timeout: '${options.stopTimeout ?? '5s'}' }`;
  fault().writeConfig(`tasks: [
    { name: 'db', command: ${JSON.stringify(['/bin/sh', '-c', trap('db')])}, ready: ready.log(/db up/), ${stop} },
    { name: 'api', command: ${JSON.stringify(['/bin/sh', '-c', trap('api')])}, dependsOn: ['db'], ready: ready.log(/api up/), ${stop} },
    { name: 'web', command: ${JSON.stringify(['/bin/sh', '-c', trap('web')])}, dependsOn: ['api'], ready: ready.log(/web up/), ${stop} },
  ]`);
}

const settled = /"state":"settled"/;

describe('the supervisor itself under faults', () => {
  it('leaves nothing alive one second after ignite is SIGKILLed with grandchildren running', async () => {
    // Setup: a three-tier stack, each task with a grandchild, all ready.
    threeTierStack();
    const up = fault().cli(['up', '--output', 'json']);
    await up.waitOutput(settled);
    const before = liveTagged(fault().tag).filter((p) => p.pid !== up.pid);
    expect(before.length).toBeGreaterThanOrEqual(6);
    // Fault: SIGKILL to ignite itself.
    signal(up.pid, 'SIGKILL');
    // Expected: every task and grandchild is gone within a second.
    // Check:
    await waitGone(before.map((p) => p.pid), 1000);
    await up.waitExit();
  });

  it('leaves no setsid escapee alive one second after ignite is SIGKILLed', async () => {
    // Setup: a service that put a sleep in a session of its own (outside its process group), ready.
    fault().writeConfig(`tasks: [{ name: 'svc', command: ${JSON.stringify(['/bin/sh', '-c', 'setsid sleep 1000 </dev/null >/dev/null 2>&1 & echo up; exec sleep 1000'])}, ready: ready.log(/up/) }]`);
    const up = fault().cli(['up', '--output', 'json']);
    await up.waitOutput(settled);
    const escapee = await waitFor(() => liveTagged(fault().tag).find((p) => p.cmdline === 'sleep 1000' && leadsSession(p.pid)), 'the escapee');
    // Fault: SIGKILL to ignite itself; a group kill cannot reach the escapee.
    signal(up.pid, 'SIGKILL');
    // Expected: the guardian finds it by the run's IGNITE_RUN and kills it within a second.
    // Check:
    await waitGone([escapee.pid], 1000);
    await up.waitExit();
  });

  it('on SIGTERM stops dependents first, removes its socket and exits 0', async () => {
    // Setup: db ← api ← web, ready.
    threeTierStack();
    const up = fault().cli(['up', '--output', 'json']);
    await up.waitOutput(settled);
    const socket = join(fault().dir, '.ignite/run/control.sock');
    expect(existsSync(socket)).toBe(true);
    // Fault: SIGTERM to ignite.
    signal(up.pid, 'SIGTERM');
    // Expected: web stopped before api stops, api before db; socket removed; exit 0.
    // Check:
    expect(await up.waitExit()).toBe(0);
    const events = parseEvents(up.stdout());
    expect(stateAt(events, 'web', 'stopped')).toBeLessThanOrEqual(stateAt(events, 'api', 'stopping'));
    expect(stateAt(events, 'api', 'stopped')).toBeLessThanOrEqual(stateAt(events, 'db', 'stopping'));
    expect(existsSync(socket)).toBe(false);
  });

  it('escalates to SIGKILL on a second signal instead of waiting the stop timeout', async () => {
    // Setup: tasks that ignore SIGTERM with a 30 s stop timeout.
    threeTierStack({ ignoreTerm: true, stopTimeout: '30s' });
    const up = fault().cli(['up', '--output', 'json']);
    await up.waitOutput(settled);
    // Fault: SIGTERM, then a second SIGTERM while stopping.
    signal(up.pid, 'SIGTERM');
    await up.waitOutput(/"state":"stopping"/);
    const t0 = Date.now();
    signal(up.pid, 'SIGTERM');
    // Expected: ignite exits within seconds, nothing left.
    // Check:
    await up.waitExit(5000);
    expect(Date.now() - t0).toBeLessThan(5000);
    await waitFor(() => liveTagged(fault().tag).length === 0, 'no tagged process', 2000);
  });

  it('Ctrl+C in a real terminal delivers exactly one SIGINT to each task', async () => {
    // Setup: tasks stopped by SIGINT, recording every signal they get; ignite in a pty.
    // (a shell's background grandchild ignores SIGINT, so a short stop timeout bounds each tier)
    threeTierStack({ stopSignal: 'SIGINT', stopTimeout: '1s' });
    const up = fault().cli(['up'], { pty: true });
    await waitFor(() => liveTagged(fault().tag).filter((p) => p.cmdline === 'sleep 1000').length === 3, 'three tasks running', 10_000);
    await up.waitOutput(/web\s+ready in/, 10_000);
    // Fault: ^C typed on the terminal.
    up.send('INT');
    // Expected: each task got one SIGINT (no TERM, no second INT); then ignite exits.
    // Check:
    const files = ['db', 'api', 'web'].map((name) => join(fault().dir, `${name}.sig`));
    await waitFor(() => files.every((f) => existsSync(f)), 'every task to record its signal', 10_000);
    await waitFor(() => liveTagged(fault().tag).filter((p) => p.cmdline === 'sleep 1000').length === 0, 'the tasks to stop', 10_000);
    for (const file of files) expect(readFileSync(file, 'utf8'), file).toBe('INT\n');
    const code = await up.waitExit(10_000);
    expect([0, 130]).toContain(code);
  });

  it('prints plain lines, not a progress list one character wide, on a terminal of no size', async () => {
    // Setup: a stack, and ignite in a pty nobody gave a size (0x0, as under `docker run -t`).
    threeTierStack();
    const up = fault().cli(['up'], { pty: true, env: { PTY_SIZE: '0x0' } });
    // Fault: the terminal reports 0 columns.
    // Expected: whole state lines (the plain view); Ctrl+C still stops everything.
    // Check:
    await up.waitOutput(/web\s+● ready in \d/, 10_000);
    up.send('INT');
    const code = await up.waitExit(10_000);
    expect([0, 130]).toContain(code);
    await waitFor(() => liveTagged(fault().tag).length === 0, 'no tagged process', 3000);
  });

  it('says "healthy" once in a real terminal, across the progress list and the plain lines after it', async () => {
    // Setup: a task health-checked every 100 ms (each check leaves a line in checks.txt), and
    // a second task that keeps the progress list up for a second.
    fault().writeConfig(`tasks: [
      { name: 'checked', command: ['/bin/sh', '-c', 'echo up; exec sleep 1000'], ready: ready.log(/up/),
        health: { check: ready.command('echo x >> checks.txt'), interval: '100ms', retries: 3 } },
      { name: 'slow', command: ['/bin/sh', '-c', 'exec sleep 1000'], dependsOn: ['checked'], ready: ready.delay('1s') },
    ]`);
    const up = fault().cli(['up'], { pty: true });
    // Fault: passing checks while the list is up, then after it has handed over to plain lines.
    const checks = join(fault().dir, 'checks.txt');
    await waitFor(() => existsSync(checks) && readFileSync(checks, 'utf8').split('\n').length > 20, 'twenty health checks', 10_000);
    up.send('INT');
    await up.waitExit(10_000);
    // Expected: one "healthy" line: every pass after the first is not news.
    // Check:
    expect(up.output().match(/♥ healthy/g)).toHaveLength(1);
  });

  it('stops the stack when its terminal hangs up', async () => {
    // Setup: a stack in a pty.
    threeTierStack();
    const up = fault().cli(['up'], { pty: true });
    await waitFor(() => liveTagged(fault().tag).filter((p) => p.cmdline === 'sleep 1000').length === 3, 'three tasks running', 10_000);
    // Fault: the terminal hangs up (master closed).
    up.send('HUP');
    // Expected: ignite stops every task and exits.
    // Check:
    await up.waitExit(15_000);
    await waitFor(() => liveTagged(fault().tag).length === 0, 'no tagged process after the hang-up', 3000);
  });

  it('refuses a second instance on the same state dir and touches nothing', async () => {
    // Setup: a detached stack.
    threeTierStack();
    expect((await fault().run(['up', '-d'])).code).toBe(0);
    const before = JSON.parse((await fault().run(['ps', '--json'])).stdout) as { name: string; pid: number }[];
    // Fault: a second `up` in the same folder.
    const second = await fault().run(['up']);
    // Expected: exit 2, a message saying it is already running; same pids.
    // Check:
    expect(second.code).toBe(2);
    expect(second.stderr + second.stdout).toMatch(/already running/);
    const after = JSON.parse((await fault().run(['ps', '--json'])).stdout) as { name: string; pid: number }[];
    expect(after.map((r) => r.pid)).toEqual(before.map((r) => r.pid));
    expect((await fault().run(['down'])).code).toBe(0);
  });

  it('replaces a stale socket left by a SIGKILLed supervisor', async () => {
    // Setup: a detached stack whose supervisor is then SIGKILLed (the guardian cleans its children).
    threeTierStack();
    expect((await fault().run(['up', '-d'])).code).toBe(0);
    const daemon = liveTagged(fault().tag).find((p) => p.cmdline.includes(CLI) && !p.cmdline.includes(' ps'));
    expect(daemon).toBeDefined();
    // Fault: SIGKILL the daemon; its socket file stays behind.
    signal(daemon?.pid ?? -1, 'SIGKILL');
    await waitFor(() => liveTagged(fault().tag).length === 0, 'the old stack to be gone', 3000);
    expect(existsSync(join(fault().dir, '.ignite/run/control.sock'))).toBe(true);
    // Expected: a new `up -d` detects the stale socket and starts; ps answers; down works.
    // Check:
    const again = await fault().run(['up', '-d']);
    expect(again.code, again.stderr).toBe(0);
    const ps = JSON.parse((await fault().run(['ps', '--json'])).stdout) as { state: string }[];
    expect(ps.map((r) => r.state)).toEqual(['ready', 'ready', 'ready']);
    expect((await fault().run(['down'])).code).toBe(0);
  });

  it('tells the user of the next `up -d` what it stopped after supervisor and guardian were both SIGKILLed', async () => {
    // Setup: a detached stack of one task.
    fault().writeConfig(`tasks: [{ name: 'sleeper', command: ['sleep', '1000'] }]`);
    expect((await fault().run(['up', '-d'])).code).toBe(0);
    const tagged = liveTagged(fault().tag);
    const daemon = tagged.find((p) => p.cmdline.includes(CLI) && p.cmdline.includes('__daemon'));
    const guardian = tagged.find((p) => p.cmdline.includes("trap '' INT HUP TERM"));
    const sleeper = tagged.find((p) => p.cmdline.endsWith('sleep 1000'));
    if (daemon === undefined || guardian === undefined || sleeper === undefined) throw new Error(`not found among:\n${tagged.map((p) => p.cmdline).join('\n')}`);
    // Fault: the guardian, then the supervisor, SIGKILLed: nothing is left to stop the task.
    signal(guardian.pid, 'SIGKILL');
    signal(daemon.pid, 'SIGKILL');
    await waitFor(() => !liveTagged(fault().tag).some((p) => p.pid === daemon.pid), 'the supervisor to be gone', 3000);
    expect(isAlive(sleeper.pid)).toBe(true);
    // Expected: the next `up -d` stops the leftover and says so on the user's terminal, not in the daemon's log.
    // Check:
    const again = await fault().run(['up', '-d']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`ignite: stopped 1 process left by an ignite that died: sleeper (pid ${sleeper.pid})`);
    expect(isAlive(sleeper.pid)).toBe(false);
    expect((await fault().run(['down'])).code).toBe(0);
  });

  it('as PID 1 of a PID namespace, reaps orphans or refuses clearly', async (ctx) => {
    // Setup: is unshare permitted here?
    const probe = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], { timeout: 5000 });
    if (probe.status !== 0) ctx.skip(`unshare --pid is not permitted here: ${probe.stderr.toString().trim()}`);
    // A task that orphans short-lived children every 50 ms (they re-parent to PID 1).
    fault().writeConfig(`tasks: [{ name: 'orphans', command: ['/bin/sh', '-c', 'echo up; while :; do sh -c "sleep 0.05 & exit 0"; sleep 0.05; done'], ready: ready.log(/up/) }]`);
    // Fault: ignite runs as PID 1.
    const up = fault().cli([], { shellPrefix: `exec unshare --pid --fork --mount-proc ${process.execPath} ${CLI} up --output json; :` });
    const refused = await Promise.race([
      up.waitExit(8000).then(() => true),
      up.waitOutput(/"state":"settled"/, 8000).then(() => false),
    ]);
    // Expected: either a clear refusal, or no zombie accumulates under ignite.
    // Check:
    if (refused) {
      expect(up.exitCode()).not.toBe(0);
      expect(up.stderr()).toMatch(/PID 1|init|tini|--init/i);
      return;
    }
    const ignite = liveTagged(fault().tag).find((p) => p.cmdline.startsWith(`${process.execPath} ${CLI}`));
    const zombies = () => zombiesTagged(fault().tag).filter((z) => z.ppid === ignite?.pid);
    // a reaping init keeps zombies at ~0; a non-reaping one accumulates ~10/s
    const count = await waitFor(() => zombies().length > 5 && zombies().length, 'zombies to accumulate (none is good)', 1500).catch(() => zombies().length);
    // SIGKILL to PID 1 of the namespace takes everything in it down with it.
    signal(ignite?.pid ?? up.pid, 'SIGKILL');
    await up.waitExit(10_000);
    expect(count, `${count} zombie orphans accumulated under ignite as PID 1`).toBeLessThanOrEqual(2);
  });
});

/** True when `pid` leads its own session: it left its task's process group. */
function leadsSession(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]) === pid;
  } catch {
    return false;
  }
}
