import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nginx } from '../../../recipes/nginx.js';
import { freePort, has, readyEvent, useStackPerTest } from './harness.js';

describe('nginx recipe', () => {
  const scratch = useStackPerTest();

  it.skipIf(!has('nginx'))('serves HTTP 200 from a generated config as any user, then stops gracefully (needs nginx-light)', async () => {
    scratch.folder('nginx');
    const port = await freePort();
    const stack = scratch.start({ tasks: [nginx({ port })] });
    await stack.waitFor(readyEvent('nginx'));

    const response = await fetch(`http://127.0.0.1:${port}/anything`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok\n');

    expect(await stack.down()).toEqual([]);
  });

  it.skipIf(!has('nginx'))('serves files from the root folder it is given (needs nginx-light)', async () => {
    const dir = scratch.folder('nginx-root');
    const site = join(dir, 'site');
    mkdirSync(site);
    writeFileSync(join(site, 'index.html'), '<h1>hello from ignite</h1>\n');
    const port = await freePort();
    const stack = scratch.start({ tasks: [nginx({ port, root: site })] });
    await stack.waitFor(readyEvent('nginx'));

    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('hello from ignite');

    expect(await stack.down()).toEqual([]);
  });
});
