import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isatty } from 'node:tty';
import { Command, CommanderError } from 'commander';
import { colorAllowed, isCI, EXIT } from './context.js';
import type { CliContext } from './context.js';
import { registerCommands } from './commands/index.js';
import { withPeerHint } from './peer-hints.js';

function version(entry: string): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', entry), 'utf8')) as { version: string };
  return pkg.version;
}

function context(program: Command, entry: string, version: string): CliContext {
  // not process.stdout.isTTY: undefined (not false) off a terminal, whatever its type says, and
  // picocolors reads undefined as "decide yourself", colouring CI logs
  const isTTY = isatty(1);
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY,
    ci: isCI(process.env),
    color: colorAllowed(process.env, isTTY),
    script: fileURLToPath(entry),
    version,
    debug: () => program.opts<{ debug?: boolean }>().debug === true,
  };
}

/**
 * Parses `argv` and runs the command; resolves with the exit code. `entry` is
 * the URL of the CLI's entry script (what `up -d` starts again; beside it, two
 * levels up, package.json).
 */
export async function main(argv: string[], entry: string): Promise<number> {
  const program = new Command('ignite');
  const ctx = context(program, entry, version(entry));
  let code: number = EXIT.ok;
  program
    .description('A typed, config-as-code process orchestrator.')
    .version(ctx.version, '-V, --version', 'print the version')
    .option('--debug', 'show stack traces for config load errors and internal errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => {
        write(withPeerHint(text));
      },
    });
  registerCommands(program, ctx, (result) => {
    code = result;
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return commanderExit(error);
    throw error;
  }
  return code;
}

function commanderExit(error: CommanderError): number {
  switch (error.code) {
    case 'commander.helpDisplayed':
    case 'commander.version':
    case 'commander.help':
      return EXIT.ok;
    default:
      return error.exitCode === 0 ? EXIT.ok : EXIT.invalid;
  }
}
