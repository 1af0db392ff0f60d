import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alreadyRunningLine, otherStackLine } from '../../../src/cli/other-stack.js';

let root = '';

afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Two configs that exist, the running one in a folder with a space and a quote in its name. */
function configs(): { running: string; other: string } {
  root = mkdtempSync(join(tmpdir(), 'other-stack-'));
  const folder = join(root, 'my app');
  mkdirSync(folder);
  const running = join(folder, "a's.mjs");
  const other = join(root, 'b.mjs');
  writeFileSync(running, 'export default { tasks: [] };\n');
  writeFileSync(other, 'export default { tasks: [] };\n');
  return { running, other };
}

describe('messages about the stack of another config', () => {
  it('quote a config path with a space, so the command they give can be pasted', () => {
    const { running, other } = configs();
    const quoted = `'${running.replace("'", `'\\''`)}'`;
    expect(otherStackLine('/s/.ignite', running, other)).toContain(`Reach that stack with \`-c ${quoted}\``);
    expect(alreadyRunningLine(7, '/s/.ignite', running, other)).toContain(`stop it with \`ignite down -c ${quoted}\``);
  });

  it('leave a plain path as it is', () => {
    expect(otherStackLine('/s/.ignite', '/s/a.mjs', '/s/b.mjs')).toContain('Reach that stack with `-c /s/a.mjs`');
  });
});
