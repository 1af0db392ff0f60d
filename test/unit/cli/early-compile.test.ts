import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { configOption } from '../../../src/cli/early-compile.js';
import { compiledOutput, compileEarly } from '../../../src/config/compile-cache.js';

describe('configOption', () => {
  it.each([
    [['up'], undefined],
    [['up', '-c', 'a.ts'], 'a.ts'],
    [['up', '--config', 'b.ts', 'api'], 'b.ts'],
    [['validate', '--config=c.ts'], 'c.ts'],
    [['ps', '-cd.ts'], 'd.ts'],
    [['-c', 'e.ts', 'up'], 'e.ts'],
    [['run', '-c', 'f.ts', '--', 'sh', '-c', 'echo hi'], 'f.ts'],
  ])('%j → %s', (args, expected) => {
    expect(configOption(args)).toBe(expected);
  });
});

describe('an early compile', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function project(): string {
    const dir = mkdtempSync(join(tmpdir(), 'ignite-early-'));
    dirs.push(dir);
    const file = join(dir, 'ignite.config.ts');
    writeFileSync(file, "const port: number = 7;\nexport default { tasks: [{ name: 'a', command: ['sh', '-c', `echo ${port}`] }] };\n");
    return file;
  }

  it('is taken up by the loader once, and not started again while the cache is fresh', async () => {
    const file = project();
    const early = compileEarly(file, esbuild);
    expect(early).toBeDefined();
    expect(compiledOutput(file)).toBe(early);
    const output = await early;
    expect(output !== undefined && existsSync(output)).toBe(true);
    // taken: the next load reads the cache
    const again = compiledOutput(file);
    expect(again).not.toBe(early);
    expect(await again).toBe(output);
    expect(compileEarly(file, esbuild)).toBeUndefined();
  });

  it('ends in undefined when esbuild fails, so the loader falls back to tsx and reports the error', async () => {
    const file = project();
    writeFileSync(file, 'export default {\n');
    expect(await compileEarly(file, esbuild)).toBeUndefined();
    expect(await compiledOutput(file)).toBeUndefined();
  });
});
