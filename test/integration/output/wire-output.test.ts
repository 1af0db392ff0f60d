import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { wireOutput } from '../../../src/supervisor/instance-output.js';
import { OutputBuffer } from '../../../src/supervisor/output/output-buffer.js';

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

/** A real child printing `lines` lines of 100 bytes, then exiting; its pipes wired with a log that never catches up. */
function stalledChild(lines: number) {
  const child = spawn('sh', ['-c', `head -c ${lines * 99} /dev/zero | tr '\\0' x | fold -w 99`], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let read = 0;
  let asked = 0;
  const wired = wireOutput(
    child,
    new OutputBuffer(),
    (batch) => {
      read += batch.length;
    },
    () => {
      asked++;
      return new Promise<void>(() => undefined);
    },
  );
  // what had been read when the child exited, taken in the exit event itself (Node resumes its stdio just after)
  const exited = new Promise<number>((resolve) => child.once('exit', () => resolve(read)));
  const ended = new Promise<void>((resolve) => child.stdout.once('end', resolve));
  return { wired, exited, ended, read: () => read, asked: () => asked };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('wired output', () => {
  it('stops reading while the log is behind, and still reads the rest of the pipe after the child exits', async () => {
    // 100 KB: more than one read (64 KB at most), less than the pipe holds, so the child can exit while held
    const run = stalledChild(1000);
    const readAtExit = await within(run.exited, 5000, 'the child to exit');
    expect(run.asked()).toBe(1);
    expect(readAtExit).toBeLessThan(1000);
    await within(run.ended, 2000, 'the rest of the pipe');
    expect(run.read()).toBe(1000);
    run.wired.finish();
  });
});
