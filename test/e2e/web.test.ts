import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/net.js';
import { FIXTURES, removeDir, runCli, scratchDir } from './cli.js';

const HINT =
  'ignite: this stack runs no control HTTP listener, which serves the web page; turn it on with `control: { http: { port: 7070 } }` in the config, then start the stack again\n';

describe('ignite web', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) {
      await runCli(['down'], { cwd: dir });
      removeDir(dir);
    }
  });

  /** A scratch copy of the fixture; `port` turns the HTTP listener on. */
  function stack(port?: number, token?: string): { dir: string; cli: (...args: string[]) => ReturnType<typeof runCli> } {
    const dir = scratchDir('web');
    dirs.push(dir);
    cpSync(join(FIXTURES, 'web/ignite.config.mjs'), join(dir, 'ignite.config.mjs'));
    const env = { IGNITE_TEST_WEB_PORT: port === undefined ? undefined : String(port), IGNITE_TEST_WEB_TOKEN: token };
    return { dir, cli: (...args) => runCli(args, { cwd: dir, env }) };
  }

  it('prints the page address with the generated token, and that address serves the page', async () => {
    const port = await freePort();
    const { dir, cli } = stack(port);
    const up = await cli('up', '-d');
    expect(up.code, up.stderr).toBe(0);
    const token = readFileSync(join(dir, '.ignite/control.token'), 'utf8').trim();

    const web = await cli('web');
    expect(web).toMatchObject({ code: 0, stderr: '', stdout: `http://127.0.0.1:${port}/#token=${token}\n` });

    const page = await fetch(web.stdout.trim());
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('<script src="/app.js" defer></script>');
    const status = await fetch(`http://127.0.0.1:${port}/v1/status`, {
      headers: { authorization: `Bearer ${token}`, origin: `http://127.0.0.1:${port}` },
    });
    expect(status.status).toBe(200);
  });

  it('prints the address without a token the config sets, and says where the token is', async () => {
    const port = await freePort();
    const { cli } = stack(port, 'chosen-by-the-user');
    const up = await cli('up', '-d');
    expect(up.code, up.stderr).toBe(0);
    const web = await cli('web');
    expect(web).toMatchObject({
      code: 0,
      stdout: `http://127.0.0.1:${port}/\n`,
      stderr: 'ignite: the token is control.http.token from the config: type it into the page, or append #token=<token> to the address\n',
    });
  });

  it('says how to turn the listener on when the stack has none, exit 1', async () => {
    const { cli } = stack();
    const up = await cli('up', '-d');
    expect(up.code, up.stderr).toBe(0);
    const web = await cli('web');
    expect(web).toMatchObject({ code: 1, stdout: '', stderr: HINT });
  });

  it('says that no stack is running, exit 1', async () => {
    const { dir, cli } = stack();
    const web = await cli('web');
    expect(web.code).toBe(1);
    expect(web.stdout).toBe('');
    expect(web.stderr).toBe(`ignite: no ignite stack is running for ${join(dir, '.ignite')} (start one with \`npx --no ignite up -d\`)\n`);
  });
});
