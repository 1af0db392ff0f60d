import { chmodSync, chownSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgres } from '../../../recipes/postgres.js';
import { findPostgresBinDir, findBinary } from '../../../recipes/find-binary.js';
import { freePort, has, readyEvent, run, stateEvent, useStackPerTest } from './harness.js';

const binDir = findPostgresBinDir();
const installed = binDir !== undefined && has('psql');

/** As root the cluster belongs to the `postgres` user, so its parent folder must be theirs. */
function clusterParent(dir: string): string {
  const parent = join(dir, 'pg');
  mkdirSync(parent);
  if (process.getuid?.() === 0) {
    chmodSync(dir, 0o755);
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(parent, uid, gid);
  }
  return parent;
}

describe('postgres recipe', () => {
  const scratch = useStackPerTest();

  it.skipIf(!installed)(
    'runs initdb once, then a server that answers SQL, and fast-shuts it down (needs postgresql)',
    async () => {
      const dir = scratch.folder('postgres');
      const dataDir = join(clusterParent(dir), 'data');
      const port = await freePort();
      const pg = postgres({ port, dataDir, initArgs: ['--no-sync'] });
      const stack = scratch.start({ tasks: pg.tasks });

      await stack.waitFor(stateEvent('postgres-init', 'completed'), 30_000);
      await stack.waitFor(readyEvent('postgres'), 30_000);

      const out = await run(findBinary('psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-tAc', 'select 1']);
      expect(out.trim()).toBe('1');

      expect(await stack.down()).toEqual([]);
    },
    45_000,
  );
});
