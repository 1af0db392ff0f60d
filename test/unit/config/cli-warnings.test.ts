import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { validateCommand } from '../../../src/cli/commands/validate.js';
import type { CliContext } from '../../../src/cli/context.js';

/** A CLI context writing to strings, in `cwd`. */
function cli(cwd: string): { ctx: CliContext; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = (append: (text: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const ctx: CliContext = {
    cwd,
    env: {},
    stdout: sink((text) => (out += text)),
    stderr: sink((text) => (err += text)),
    isTTY: false,
    ci: true,
    color: false,
    script: '',
    version: '0.0.0',
    debug: () => false,
  };
  return { ctx, out: () => out, err: () => err };
}

describe('warnings of a valid config', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are printed by validate, which still exits 0', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ignite-warn-'));
    const tasks = [{ name: 'x', command: 'true' }, { name: 'a', command: 'true', dependsOn: ['x', 'x'] }];
    writeFileSync(join(dir, 'ignite.config.mjs'), `export default ${JSON.stringify({ tasks })};\n`);
    const { ctx, out, err } = cli(dir);
    expect(await validateCommand(ctx, {})).toBe(0);
    expect(err()).toBe('⚠ ignite.config.mjs: 1 warning\n  tasks[1].dependsOn[1]: "x" is listed twice; the first entry counts\n');
    expect(out().split('\n').slice(0, 1)).toEqual(['✔ ignite.config.mjs: 2 tasks, valid (1 warning, above)']);
    expect(out()).toContain('edges (task → dependency):\n  a → x (ready)\n\n');
  });
});
