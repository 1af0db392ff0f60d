import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/control/fs-util.js';
import { tempDir } from './fake-api.js';

describe('writeFileAtomic on a full disk', () => {
  let dir: { path: string; remove: () => void } | undefined;
  let mounted = '';
  afterEach(() => {
    if (mounted !== '') execFileSync('umount', ['-l', mounted]);
    mounted = '';
    dir?.remove();
  });

  it('fails, and leaves no temporary file behind (the write fails, not the open)', async (ctx) => {
    // Setup: a 64 KB tmpfs (needs mount rights), filled up.
    dir = tempDir();
    const mnt = join(dir.path, 'full');
    mkdirSync(mnt);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
    if (mount.status !== 0) ctx.skip(`mount -t tmpfs is not permitted here: ${mount.stderr.toString().trim()}`);
    mounted = mnt;
    expect(() => writeFileSync(join(mnt, 'fill'), Buffer.alloc(128 * 1024))).toThrow(/ENOSPC/);
    // Fault: 20 state writes into the full disk.
    for (let i = 0; i < 20; i++) await expect(writeFileAtomic(join(mnt, 'state.json'), 'x'.repeat(8192))).rejects.toThrow(/ENOSPC/);
    // Check: only the filler is there.
    expect(readdirSync(mnt)).toEqual(['fill']);
  });
});
