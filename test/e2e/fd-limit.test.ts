import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fdExhaustionMessage } from '../../src/cli/fatal.js';
import { CLI, FIXTURES, runCli } from './cli.js';

const CLEAR = /^ignite: too many open files \(EMFILE\) — raise the limit with `ulimit -n`( \(now (\d+)\))?$/m;

/** `validate` under a descriptor limit of `limit`. */
function validateUnder(limit: number): ReturnType<typeof runCli> {
  const script = `ulimit -n ${limit} && exec "$0" "$@"`;
  return runCli([], { cwd: join(FIXTURES, 'good'), argv: ['/bin/sh', '-c', script, process.execPath, CLI, 'validate'] });
}

describe('running out of file descriptors', () => {
  it('words EMFILE with the current limit, and ENFILE apart', () => {
    const emfile = Object.assign(new Error('EMFILE: too many open files, open x.js'), { code: 'EMFILE' });
    expect(fdExhaustionMessage(emfile, () => '64')).toBe('ignite: too many open files (EMFILE) — raise the limit with `ulimit -n` (now 64)');
    expect(fdExhaustionMessage(new Error('spawn sleep EMFILE'), () => undefined)).toBe(
      'ignite: too many open files (EMFILE) — raise the limit with `ulimit -n`',
    );
    expect(fdExhaustionMessage(Object.assign(new Error('x'), { code: 'ENFILE' }))).toMatch(/^ignite: the system is out of open files \(ENFILE\)/);
    expect(fdExhaustionMessage(new Error('ENOENT: no such file'))).toBeUndefined();
  });

  it('under ever lower limits the CLI works or says "too many open files" with exit 1, never "internal error"', async () => {
    const clearAt: number[] = [];
    // Below some limit Node itself cannot start (that part is not ignite's); scan down from a comfortable one.
    for (let limit = 30; limit >= 16; limit--) {
      const result = await validateUnder(limit);
      expect(result.stderr, `limit ${limit}`).not.toMatch(/internal error/);
      if (result.code === 0) continue;
      const clear = CLEAR.exec(result.stderr);
      if (clear === null) break; // Node failed before ignite's first line ran
      expect(result.code, `limit ${limit}`).toBe(1);
      expect(result.stderr, `limit ${limit}`).not.toMatch(/\n\s+at /);
      if (clear[2] !== undefined) expect(Number(clear[2])).toBe(limit);
      clearAt.push(limit);
    }
    expect(clearAt.length, 'some limit should hit EMFILE inside ignite').toBeGreaterThan(0);
  });
});
