import { describe, expect, it } from 'vitest';
import { liveTagged, useFaults, waitFor } from './harness.js';

const fault = useFaults();
const ESC = '\u001b';

/** `weird` prints one line of each kind a task writes for a terminal of its own; `other` ticks. */
function terminalWriters(): void {
  const weird = [
    String.raw`printf 'colour: \033[44mblue background never reset\n'`,
    String.raw`printf 'progress: 10%%\rprogress: 100%%\n'`,
    String.raw`printf '\033[2J\033[Hcleared the screen\n'`,
    'echo weird done',
    'exec sleep 1000',
  ].join('; ');
  fault().writeConfig(`tasks: [
    { name: 'weird', command: ${JSON.stringify(['/bin/sh', '-c', weird])}, ready: ready.log(/weird done/) },
    { name: 'other', command: ['/bin/sh', '-c', 'while :; do echo other tick; sleep 0.05; done'] },
  ]`);
}

describe('what ignite up draws in a real terminal', () => {
  it("keeps a task's colours, \\r progress and screen clears on its own line, under its prefix", async () => {
    // Setup: a task writing a colour it never resets, a \r progress bar and a screen clear,
    // beside a task that keeps printing; ignite in a pty, colours on.
    terminalWriters();
    const up = fault().cli(['up'], { pty: true, env: { NO_COLOR: '' } });
    // Fault: those lines reach the terminal, then other tasks' lines after them.
    await up.waitOutput(/\|\S* weird done[^]*\|\S* other tick/, 10_000);
    up.send('INT');
    await up.waitExit(10_000);
    // Expected: each line whole under `weird | `, its colour ended with it, no screen clear.
    // Check:
    const lines = up.output().split(/\r?\n/);
    // eslint-disable-next-line no-control-regex -- removing escape sequences
    const plain = lines.map((line) => line.replaceAll(/\u001b\[[0-?]*[ -/]*[@-~]/g, ''));
    expect(plain).toContain('weird | colour: blue background never reset');
    expect(plain).toContain('weird | progress: 100%');
    expect(plain).toContain('weird | cleared the screen');
    expect(lines.find((line) => line.includes('blue background'))?.endsWith(`${ESC}[0m`)).toBe(true);
    expect(up.output()).not.toContain(`${ESC}[2J`);
    await waitFor(() => liveTagged(fault().tag).length === 0, 'no tagged process', 3000);
  });

  it('prints plain lines, not a progress list it cannot redraw, on a TERM=dumb terminal', async () => {
    // Setup: a task, and ignite in a pty whose TERM is dumb (Emacs' shell, some IDE consoles).
    fault().writeConfig(`tasks: [{ name: 'api', command: ['/bin/sh', '-c', 'echo api up; exec sleep 1000'], ready: ready.log(/api up/) }]`);
    const up = fault().cli(['up'], { pty: true, env: { TERM: 'dumb' } });
    // Fault: the terminal cannot move its cursor up or erase a line.
    await up.waitOutput(/api\s+● ready in \d/, 10_000);
    up.send('INT');
    await up.waitExit(10_000);
    // Expected: the plain view's state lines, and no cursor movement or line erasing.
    // Check:
    expect(up.output()).toContain('api | api up');
    // eslint-disable-next-line no-control-regex -- looking for the list's cursor moves
    expect(up.output()).not.toMatch(/\u001b\[\d*[AGK]/);
    await waitFor(() => liveTagged(fault().tag).length === 0, 'no tagged process', 3000);
  });

  it('prints plain lines, not a progress list taller than the terminal, when the tasks outnumber its rows', async () => {
    // Setup: eight tasks, and ignite in a pty eight rows tall.
    const tasks = Array.from({ length: 8 }, (_, i) => `{ name: 't${i}', command: ['/bin/sh', '-c', 'echo t${i} up; exec sleep 1000'] }`);
    fault().writeConfig(`tasks: [${tasks.join(', ')}]`);
    const up = fault().cli(['up'], { pty: true, env: { PTY_SIZE: '8x100' } });
    // Fault: a list of one line per task would not fit.
    await up.waitOutput(/t7\s+● ready in \d/, 10_000);
    // Expected: the plain view's lines, and no cursor movement or line erasing.
    // Check:
    await up.waitOutput(/t0\s+\| t0 up/, 10_000);
    up.send('INT');
    await up.waitExit(10_000);
    // eslint-disable-next-line no-control-regex -- looking for the list's cursor moves
    expect(up.output()).not.toMatch(/\u001b\[\d*[AGK]/);
    await waitFor(() => liveTagged(fault().tag).length === 0, 'no tagged process', 3000);
  });

  it('ignite run leaves its task "running" in the progress list, not "not started", when its output takes over', async () => {
    // Setup: a oneshot after a dependency; ignite run in a pty.
    fault().writeConfig(`tasks: [
      { name: 'db', command: ['/bin/sh', '-c', 'echo db up; exec sleep 1000'], ready: ready.log(/db up/) },
      { name: 'migrate', command: ['/bin/sh', '-c', 'echo migrating'], dependsOn: ['db'], oneshot: true },
    ]`);
    const run = fault().cli(['run', 'migrate'], { pty: true });
    // Fault: the list ends as migrate starts, before it has done anything.
    // Expected: exit 0, and the list says migrate is running.
    // Check:
    expect(await run.waitExit(10_000)).toBe(0);
    // eslint-disable-next-line no-control-regex -- removing escape sequences
    const plain = run.output().replaceAll(/\u001b\[[0-?]*[ -/]*[@-~]/g, '');
    expect(plain).toMatch(/migrate\s+running/);
    expect(plain).not.toContain('not started');
  });
});
