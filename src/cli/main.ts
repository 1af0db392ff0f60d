#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { colorAllowed, isCI, EXIT } from './context.js';
import type { CliContext } from './context.js';
import { registerCommands } from './commands/index.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function context(program: Command): CliContext {
  const isTTY = process.stdout.isTTY;
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY,
    ci: isCI(process.env),
    color: colorAllowed(process.env, isTTY),
    script: fileURLToPath(import.meta.url),
    debug: () => program.opts<{ debug?: boolean }>().debug === true,
  };
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('ignite');
  const ctx = context(program);
  let code: number = EXIT.ok;
  program
    .description('A typed, config-as-code process orchestrator.')
    .version(version(), '-V, --version', 'print the version')
    .option('--debug', 'show stack traces for config load errors and internal errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
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

function internalError(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`ignite: internal error — please report: ${message}\n`);
  if (process.argv.includes('--debug') && error instanceof Error && error.stack !== undefined) {
    process.stderr.write(`${error.stack}\n`);
  }
  process.exit(EXIT.failed);
}

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // a closed pipe (`ignite logs -f | head -1`) is a normal end, not a crash
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
});

main(process.argv).then((code) => process.exit(code), internalError);
