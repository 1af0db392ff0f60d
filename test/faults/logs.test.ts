import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ready } from '../../src/config/define.js';
import { CLI, liveTagged, nodeCmd, rssBytes, signal, useFaults, waitFor } from './harness.js';

const fault = useFaults();
const sh = (script: string): string[] => ['/bin/sh', '-c', script];
const node = (script: string): string[] => [process.execPath, '-e', script];
const logFile = (name: string): string => join(fault().dir, '.ignite/logs', `${name}.log`);
const noStamps = { timestamps: false };

describe('line framing', () => {
  it('keeps partial lines, a split UTF-8 character, CRLF and a final line without newline intact', async () => {
    // Setup: a child writing awkward chunks with pauses between them.
    const chunks = ['hel', 'lo\n', Buffer.from('caf'), Buffer.from([0xc3]), Buffer.from([0xa9, 0x0a]), 'a\r\nb\r\n', 'last'];
    const script = `const c=${JSON.stringify(chunks.map((x) => Buffer.from(x).toString('base64')))};let i=0;const t=setInterval(()=>{process.stdout.write(Buffer.from(c[i++],'base64'));if(i===c.length){clearInterval(t);}},30);`;
    const s = fault().supervise({ tasks: [{ name: 'w', oneshot: true, command: node(script), logs: noStamps }] });
    // Fault: the bytes arrive split at every bad place.
    await s.sup.up();
    await s.waitState('w', 'completed');
    // Expected: exactly these lines, in events and in the log file.
    // Check:
    const expected = ['hello', 'café', 'a', 'b', 'last'];
    expect(s.output('w')).toEqual(expected);
    await s.sup.down();
    expect(readFileSync(logFile('w'), 'utf8')).toBe(`${expected.join('\n')}\n`);
  });

  it('splits a 1 MiB line into marked pieces that rejoin to the original', async () => {
    // Setup: one 1 MiB line of multi-byte characters, no newline until the end.
    const s = fault().supervise({ tasks: [{ name: 'big', oneshot: true, command: node("process.stdout.write('é'.repeat(524288)+'\\n')"), logs: noStamps }] });
    // Fault: a line 16× the framer's limit.
    await s.sup.up();
    await s.waitState('big', 'completed');
    // Expected: pieces ending with the continuation marker, no broken character, rejoining exactly.
    // Check:
    const pieces = s.output('big');
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.slice(0, -1).every((p) => p.endsWith(' …[continued]'))).toBe(true);
    const joined = pieces.map((p) => p.replace(/ …\[continued\]$/, '')).join('');
    expect(joined).toBe('é'.repeat(524288));
    await s.sup.down();
  });

  it('keeps the output a task writes while it shuts down', async () => {
    // Setup: a task that prints 200 lines when asked to stop.
    const s = fault().supervise({ tasks: [{ name: 'bye', command: sh("trap 'i=0; while [ $i -lt 200 ]; do i=$((i+1)); echo bye $i; done; exit 0' TERM; echo up; while :; do sleep 0.05; done"), ready: ready.log(/up/), logs: noStamps }] });
    await s.sup.up();
    // Fault: stop it.
    await s.sup.down();
    // Expected / Check: all 200 lines in events and the log file.
    expect(s.output('bye').filter((l) => l.startsWith('bye'))).toHaveLength(200);
    expect(readFileSync(logFile('bye'), 'utf8')).toContain('bye 200\n');
  });

  it('does not wedge the state machine when an escaped grandchild holds stdout open', async () => {
    // Setup: a oneshot that leaves a setsid grandchild holding its stdout, then exits 0.
    const s = fault().supervise({ tasks: [{ name: 'holder', oneshot: true, command: sh('setsid sleep 1000 & echo done') }] });
    // Fault: the pipe never reaches EOF.
    await s.sup.up();
    // Expected: completed within a couple of seconds anyway.
    // Check:
    await s.waitState('holder', 'completed', 3000);
    await s.sup.down();
    for (const p of liveTagged(fault().tag)) if (p.cmdline === 'sleep 1000') signal(p.pid, 'SIGKILL');
  });

  it('never closes the reader of a running task (5 MB after readiness, no SIGPIPE)', async () => {
    // Setup: ready at once, then 5 MB on stdout and stderr.
    const s = fault().supervise({ tasks: [{ name: 'chatty', command: sh("echo up; head -c 5000000 /dev/zero | tr '\\0' x | fold -w 100; echo; head -c 1000000 /dev/zero | tr '\\0' y | fold -w 100 >&2; echo >&2; echo done; sleep 1000"), ready: ready.log(/up/) }] });
    await s.sup.up();
    // Fault: far more output than a pipe buffer, long after readiness passed.
    // Expected: every line arrives and the task stays alive.
    // Check:
    await waitFor(() => s.output('chatty').includes('done'), 'the last line', 15_000);
    expect(s.output('chatty')).toHaveLength(60_002);
    expect(s.sup.status()[0]?.state).toBe('ready');
    await s.sup.down();
  });
});

describe('log files under pressure', () => {
  it('rotates under load with a contiguous sequence: no gap, no duplicate', async () => {
    // Setup: 100k numbered lines, 256 KB files, enough files kept to hold them all.
    const s = fault().supervise({ tasks: [{ name: 'seq', oneshot: true, command: ['seq', '1', '100000'], logs: { maxSize: '256KB', maxFiles: 50, timestamps: false } }] });
    // Fault: many rotations while lines pour in.
    await s.sup.up();
    await s.waitState('seq', 'completed', 15_000);
    await s.sup.down();
    // Expected: the files, oldest first, hold 1..100000 exactly once each, in order.
    // Check:
    const dir = join(fault().dir, '.ignite/logs');
    const rotated = readdirSync(dir).filter((f) => /^seq\.log\.\d+$/.test(f)).sort((a, b) => Number(b.split('.').pop()) - Number(a.split('.').pop()));
    expect(rotated.length).toBeGreaterThan(1);
    const text = [...rotated, 'seq.log'].map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    const numbers = text.trimEnd().split('\n').map(Number);
    expect(numbers.length).toBe(100_000);
    expect(numbers.every((n, i) => n === i + 1)).toBe(true);
  });

  it('keeps the task running (and logging) after its log file is deleted', async () => {
    // Setup: a task printing a counter every 20 ms.
    const s = fault().supervise({ tasks: [{ name: 'tick', command: sh('i=0; echo up; while :; do i=$((i+1)); echo tick $i; sleep 0.02; done'), ready: ready.log(/up/), logs: noStamps }] });
    await s.sup.up();
    await waitFor(() => existsSync(logFile('tick')) && readFileSync(logFile('tick'), 'utf8').includes('tick 5'), 'first lines in the log');
    // Fault: delete the log file.
    rmSync(logFile('tick'));
    const seen = s.output('tick').length;
    // Expected: the task still runs, lines keep coming, and the file comes back.
    // Check:
    await waitFor(() => s.output('tick').length > seen + 20, 'more output after the delete');
    await waitFor(() => existsSync(logFile('tick')), 'the log file to be recreated', 5000);
    expect(s.sup.status()[0]?.state).toBe('ready');
    await s.sup.down();
  });

  it('keeps the task running when its log disk is full (small tmpfs)', async (ctx) => {
    // Setup: a 64 KB tmpfs for the logs (needs mount rights).
    const mnt = join(fault().dir, 'full');
    mkdirSync(mnt);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
    if (mounted.status !== 0) ctx.skip(`mount -t tmpfs is not permitted here: ${mounted.stderr.toString().trim()}`);
    try {
      const s = fault().supervise({ tasks: [{ name: 'fill', oneshot: true, command: ['seq', '1', '100000'], logs: { file: join(mnt, 'fill.log'), timestamps: false } }] });
      // Fault: ~600 KB of output into a 64 KB disk.
      await s.sup.up();
      // Expected: the task completes, every line still reaches the events, a warning at most.
      // Check:
      await s.waitState('fill', 'completed', 10_000);
      expect(s.output('fill')).toHaveLength(100_000);
      await s.sup.down();
    } finally {
      execFileSync('umount', ['-l', mnt]);
    }
  });

  it('holds a flooding task back, dropping nothing, while its log file cannot keep up', async () => {
    // Setup: the log "file" is a FIFO that nobody reads yet (a disk that has stopped taking writes);
    // the task prints 40 MB, then touches a file.
    const fifo = join(fault().dir, 'slow.log');
    const done = join(fault().dir, 'done');
    execFileSync('mkfifo', [fifo]);
    const lines = 400_000;
    const awk = `BEGIN { pad = sprintf("%91s", ""); gsub(/ /, "x", pad); for (i = 0; i < ${lines}; i++) printf "%07d %s\\n", i, pad; fflush(); system("touch ${done}") }`;
    const s = fault().supervise({ tasks: [{ name: 'flood', oneshot: true, command: ['awk', awk], logs: { file: fifo, maxSize: '1gb', timestamps: false } }] });
    const started = s.sup.up();
    const pid = await waitFor(() => s.sup.status()[0]?.pid ?? undefined, 'the task to start');
    // Fault: the log file takes nothing until the task's output has stood still for 300 ms, or it finished.
    const written = (): number | undefined => {
      const io = existsSync(`/proc/${pid}/io`) ? readFileSync(`/proc/${pid}/io`, 'utf8') : '';
      const match = /^wchar: (\d+)$/m.exec(io)?.[1];
      return match === undefined ? undefined : Number(match);
    };
    let last: number | undefined = -1;
    let stillSince = Date.now();
    const outcome = await waitFor(() => {
      const now = written();
      if (existsSync(done) || now === undefined) return 'finished';
      if (now !== last) [last, stillSince] = [now, Date.now()];
      return Date.now() - stillSince >= 300 ? 'held back' : undefined;
    }, 'the task to be held back or to finish', 20_000);
    const copy = join(fault().dir, 'copy.log');
    const reader = spawn('sh', ['-c', `exec cat ${fifo} > ${copy}`], { stdio: 'ignore', env: fault().env });
    const readerDone = new Promise((resolve) => reader.once('exit', resolve));
    await started;
    await s.waitState('flood', 'completed', 30_000);
    await s.sup.down();
    await readerDone;
    // Expected: the task waited for the file (it did not finish first); every line is in the file, in
    // order, once; no warning about dropped lines.
    // Check:
    expect(outcome).toBe('held back');
    const text = readFileSync(copy, 'latin1');
    expect(text.length).toBe(lines * 100);
    for (let at = 0; at < lines; at++) {
      const number = text.slice(at * 100, at * 100 + 8);
      if (number !== `${String(at).padStart(7, '0')} `) expect(number, `line ${at}`).toBe(`${String(at).padStart(7, '0')} `);
    }
    expect(s.events.filter((e) => e.type === 'task-warning')).toEqual([]);
  });

  it('keeps memory bounded and the API responsive while a task floods 200 MB', async () => {
    // Setup: a detached stack with a task that floods stdout after a go file appears.
    const go = join(fault().dir, 'go');
    fault().writeConfig(`tasks: [{ name: 'flood', command: ['/bin/sh', '-c', 'echo up; while [ ! -e ${go} ]; do sleep 0.02; done; head -c 200000000 /dev/zero | tr "\\\\0" x | fold -w 200; echo flood-done; sleep 1000'], ready: ready.log(/up/) }]`);
    expect((await fault().run(['up', '-d'])).code).toBe(0);
    const daemon = liveTagged(fault().tag).find((p) => p.cmdline.includes(CLI))?.pid ?? -1;
    const baseline = rssBytes(daemon) ?? 0;
    // Fault: 200 MB of output at pipe speed.
    mkdirSync(go);
    let peak = baseline;
    let slowest = 0;
    const log = logFile('flood');
    await waitFor(async () => {
      peak = Math.max(peak, rssBytes(daemon) ?? 0);
      const t0 = Date.now();
      const ps = await fault().run(['ps', '--json'], {}, 10_000);
      slowest = Math.max(slowest, Date.now() - t0);
      expect(ps.code).toBe(0);
      return existsSync(log) && readFileSync(log, 'utf8').includes('flood-done');
    }, 'the flood to be logged', 60_000);
    // Expected: RSS stays within ~150 MB of its baseline; ps answers within 3 s throughout.
    // Check:
    expect(peak - baseline, `peak ${peak} baseline ${baseline}`).toBeLessThan(150 * 1024 * 1024);
    expect(slowest).toBeLessThan(3000);
    expect((await fault().run(['down'])).code).toBe(0);
  }, 90_000);
});

describe('ignite logs', () => {
  const countLines = (file: string): number => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0);

  it('shows the last N lines of each stream, stdout then stderr, when they have files of their own', async () => {
    // Setup: a detached stack whose task writes a numbered line to stdout and one to stderr, over and over.
    fault().writeConfig(`tasks: [{ name: 'sep', command: ['/bin/sh', '-c', 'i=0; while :; do i=$((i+1)); echo "sep out $i"; echo "sep err $i" >&2; sleep 0.01; done'], logs: { mixed: false, timestamps: true } }]`);
    expect((await fault().run(['up', '-d'])).code).toBe(0);
    const dir = join(fault().dir, '.ignite/logs');
    // Fault: each file holds more lines than asked for (before: stderr's file alone filled all N).
    await waitFor(() => countLines(join(dir, 'sep.out.log')) > 20 && countLines(join(dir, 'sep.err.log')) > 20, 'both files to hold 20 lines');
    // Expected: 5 stdout lines, then 5 stderr lines, from the supervisor and from the files alone.
    // Check:
    const shape = (stdout: string): string[] => stdout.trimEnd().split('\n').map((line) => /sep \| \S+ sep (out|err) \d+$/.exec(line)?.[1] ?? line);
    const running = await fault().run(['logs', '-n', '5', 'sep']);
    expect(running.code, running.stderr).toBe(0);
    expect(shape(running.stdout)).toEqual([...Array<string>(5).fill('out'), ...Array<string>(5).fill('err')]);
    expect((await fault().run(['down'])).code).toBe(0);
    const offline = await fault().run(['logs', '-n', '5', 'sep']);
    expect(offline.code, offline.stderr).toBe(0);
    expect(shape(offline.stdout)).toEqual([...Array<string>(5).fill('out'), ...Array<string>(5).fill('err')]);
  });

  it('follows on from exactly the line after the history: no line twice, none missing', async () => {
    // Setup: a detached stack whose task prints numbered lines in bursts of 5 every 2 ms.
    fault().writeConfig(`tasks: [{ name: 'seq', command: ${nodeCmd('let i=0; setInterval(()=>{ for (let k=0;k<5;k++) console.log("seq "+(++i)); }, 2)')}, logs: { timestamps: false } }]`);
    expect((await fault().run(['up', '-d'])).code).toBe(0);
    await waitFor(() => countLines(logFile('seq')) > 100, 'the first 100 lines in the log');
    // Fault: history and live output meet while lines pour in (before: lines at the seam came twice).
    for (let round = 0; round < 3; round++) {
      const follow = fault().cli(['logs', '-f', '-n', '50', 'seq']);
      await waitFor(() => follow.stdout().split('\n').length > 600, '600 followed lines', 10_000);
      process.kill(follow.pid, 'SIGINT');
      await follow.waitExit(5000);
      // Expected: 50 lines of history, then one contiguous sequence.
      // Check:
      const numbers = follow.stdout().trimEnd().split('\n').map((line) => Number(/^seq \| seq (\d+)$/.exec(line)?.[1]));
      const first = numbers[0] ?? 0;
      expect(numbers.filter((n, i) => n !== first + i).slice(0, 5)).toEqual([]);
    }
    expect((await fault().run(['down'])).code).toBe(0);
  });

  it('refuses -n above 10000 with the same message whether a stack runs or not', async () => {
    // Setup: a detached stack with one quiet task.
    fault().writeConfig(`tasks: [{ name: 'quiet', command: ['sleep', '1000'] }]`);
    expect((await fault().run(['up', '-d'])).code).toBe(0);
    // Fault: ask for more history than one request may read (before: a raw zod message while running, 15000 lines when not).
    const running = await fault().run(['logs', '-n', '15000']);
    expect((await fault().run(['down'])).code).toBe(0);
    const offline = await fault().run(['logs', '-n', '15000']);
    // Expected: exit 2 and one clear sentence, both times.
    // Check:
    const message = 'ignite: -n is at most 10000 lines (of each stream of each task), got 15000\n';
    expect([running.code, running.stderr]).toEqual([2, message]);
    expect([offline.code, offline.stderr]).toEqual([2, message]);
  });
});
