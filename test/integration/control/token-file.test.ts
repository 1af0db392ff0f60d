import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareToken } from '../../../src/control/tcp-auth.js';
import { tempDir } from './fake-api.js';

// control.http.tokenFile: the file is private; the folder it is put in keeps its mode unless ignite made it.
describe('the generated token file', () => {
  let dir: { path: string; remove: () => void } | undefined;
  afterEach(() => dir?.remove());

  async function tokenIn(tokenFile: string): Promise<string> {
    const token = await prepareToken({ host: '127.0.0.1', port: 0, token: undefined, tokenFile });
    if (!token.ok) throw new Error(token.error.message);
    expect(readFileSync(tokenFile, 'utf8')).toBe(`${token.value}\n`);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    return token.value;
  }

  it('leaves the mode of an existing folder (a project folder, 0755) alone', async () => {
    dir = tempDir();
    const project = join(dir.path, 'project');
    mkdirSync(project);
    chmodSync(project, 0o755);
    await tokenIn(join(project, 'ignite.token'));
    expect(statSync(project).mode & 0o7777).toBe(0o755);
  });

  it('keeps the sticky bit and world access of a shared 1777 folder', async () => {
    dir = tempDir();
    const shared = join(dir.path, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    await tokenIn(join(shared, 'ignite.token'));
    expect(statSync(shared).mode & 0o7777).toBe(0o1777);
  });

  it('creates missing folders 0700, and a new token replaces the old one', async () => {
    dir = tempDir();
    const tokenFile = join(dir.path, 'a', 'b', 'control.token');
    const first = await tokenIn(tokenFile);
    expect(statSync(join(dir.path, 'a')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir.path, 'a', 'b')).mode & 0o777).toBe(0o700);
    expect(await tokenIn(tokenFile)).not.toBe(first);
  });
});
