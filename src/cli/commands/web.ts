import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliContext } from '../context.js';
import { EXIT, print, say } from '../context.js';
import { connect, reportControlFailure } from '../remote.js';

/**
 * `ignite web`: prints the address of the running stack's web page, with the
 * generated token in the URL fragment (which a browser never sends). It opens nothing.
 */
export async function webCommand(ctx: CliContext, options: { config?: string }): Promise<number> {
  const remote = await connect(ctx, options.config);
  if (!remote.ok) return remote.code;
  const info = await remote.client.info();
  if (!info.ok) return reportControlFailure(ctx, info.error);
  if (info.value.httpUrl === null) {
    say(ctx, 'this stack runs no control HTTP listener, which serves the web page; turn it on with `control: { http: { port: 7070 } }` in the config, then start the stack again');
    return EXIT.failed;
  }
  const page = `${info.value.httpUrl}/`;
  const http = remote.stack?.control.http;
  if (http?.token !== undefined) {
    print(ctx, page);
    say(ctx, 'the token is control.http.token from the config: type it into the page, or append #token=<token> to the address');
    return EXIT.ok;
  }
  const tokenFile = http?.tokenFile ?? join(remote.stateDir, 'control.token');
  const token = await readToken(tokenFile);
  if (token === undefined) {
    say(ctx, `cannot read the token file ${tokenFile}; if the config sets control.http.token, the token is that one`);
    return EXIT.failed;
  }
  print(ctx, `${page}#token=${encodeURIComponent(token)}`);
  return EXIT.ok;
}

async function readToken(file: string): Promise<string | undefined> {
  try {
    const token = (await readFile(file, 'utf8')).trim();
    return token === '' ? undefined : token;
  } catch {
    return undefined;
  }
}
