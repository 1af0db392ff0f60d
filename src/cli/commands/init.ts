import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliContext } from '../context.js';
import { EXIT, say } from '../context.js';
import { INIT_TEMPLATE } from './init-template.js';

const FILE = 'ignite.config.ts';

/** `ignite init [--force]`: writes the sample config; never overwrites without --force. */
export async function initCommand(ctx: CliContext, options: { force?: boolean }): Promise<number> {
  const target = join(ctx.cwd, FILE);
  try {
    await writeFile(target, INIT_TEMPLATE, { flag: options.force === true ? 'w' : 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      say(ctx, `${FILE} already exists; use \`ignite init --force\` to overwrite it`);
      return EXIT.invalid;
    }
    say(ctx, `cannot write ${FILE}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
  say(ctx, `wrote ${FILE} — check it with \`npx --no ignite validate\`, start it with \`npx --no ignite up\``);
  return EXIT.ok;
}
