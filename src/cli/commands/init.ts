import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliContext } from '../context.js';
import { EXIT, print, say } from '../context.js';
import { INIT_TEMPLATE } from './init-template.js';

const FILE = 'ignite.config.ts';

/** `ignite init [--force]`: writes the sample config; never overwrites without --force. `--task NAME` prints a sample task. */
export async function initCommand(ctx: CliContext, options: { force?: boolean; task?: string }): Promise<number> {
  if (options.task !== undefined) return printSampleTask(ctx, options.task);
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

async function printSampleTask(ctx: CliContext, name: string): Promise<number> {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    say(ctx, `--task: a task name is letters, digits, "_", "." and "-", got ${JSON.stringify(name)}`);
    return EXIT.invalid;
  }
  const { sampleTask } = await import('./sample-task.js');
  print(ctx, sampleTask(name));
  return EXIT.ok;
}
