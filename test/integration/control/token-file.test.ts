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

  it.each([
    ['a project folder', 0o755],
    ['a shared folder, sticky bit and world access', 0o1777],
  ])('leaves the mode of an existing folder alone: %s', async (_what, mode) => {
    dir = tempDir();
    const folder = join(dir.path, 'existing');
    mkdirSync(folder);
    chmodSync(folder, mode);
    await tokenIn(join(folder, 'ignite.token'));
    expect(statSync(folder).mode & 0o7777).toBe(mode);
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
