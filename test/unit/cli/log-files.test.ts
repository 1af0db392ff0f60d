import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readableLogFiles } from '../../../src/cli/log-files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('log files read without a supervisor', () => {
  it('skips a log path that is a folder, naming it and why, and keeps files and missing ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ignite-logs-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'a.log.1'));
    writeFileSync(join(dir, 'a.log'), 'line\n');
    const files = [join(dir, 'a.log.2'), join(dir, 'a.log.1'), join(dir, 'a.log')];
    expect(await readableLogFiles([files])).toEqual({
      streams: [[join(dir, 'a.log.2'), join(dir, 'a.log')]],
      skipped: [{ file: join(dir, 'a.log.1'), why: 'a folder, not a log file' }],
    });
  });
});
