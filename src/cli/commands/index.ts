import { Command, Option } from 'commander';
import type { CliContext } from '../context.js';

type SetCode = (code: number) => void;
type Opts = Record<string, unknown>;

/**
 * Declares every command. Implementations are imported inside the actions, so
 * `ignite --version` or `ignite validate` never load listr2 or the supervisor.
 */
export function registerCommands(program: Command, ctx: CliContext, setCode: SetCode): void {
  const run = (load: () => Promise<(ctx: CliContext, ...args: never[]) => Promise<number>>) =>
    async (...args: unknown[]): Promise<void> => {
      const fn = (await load()) as (ctx: CliContext, ...rest: unknown[]) => Promise<number>;
      // commander passes (positional…, options, command): drop the command object
      setCode(await fn(ctx, ...args.slice(0, -1)));
    };
  const withConfig = (command: Command): Command =>
    command.option('-c, --config <file>', 'the config file, or its folder (default: ignite.config.{ts,mts,js,mjs,json,yaml,yml,toml} here or in a parent folder)');

  withConfig(program.command('up').description('start the selected tasks and their dependencies'))
    .argument('[patterns...]', 'task names, globs (api-*), tags (@backend) or /regex/')
    .option('-d, --detach', 'start in the background and return once startup has settled')
    .addOption(new Option('--output <kind>', 'how to show progress and output').choices(['pretty', 'plain', 'json']))
    .action(run(async () => (await import('./up.js')).upCommand));

  withConfig(program.command('__daemon', { hidden: true }))
    .argument('[patterns...]')
    .action(run(async () => (await import('./daemon.js')).daemonCommand));

  withConfig(program.command('down').description('stop a running stack, dependents first'))
    .action(run(async () => (await import('./down.js')).downCommand));

  withConfig(program.command('reload').description('load the config again into the running stack: new tasks start, changed ones restart, removed ones stop'))
    .action(run(async () => (await import('./reload.js')).reloadCommand));

  withConfig(program.command('ps').description('show the tasks of a running stack'))
    .argument('[patterns...]', 'task names, globs, @tags or /regex/')
    .option('--json', 'print a JSON array')
    .action(run(async () => (await import('./ps.js')).psCommand));

  for (const verb of ['start', 'stop', 'restart'] as const) {
    withConfig(program.command(verb).description(`${verb} tasks of a running stack`))
      .argument('<patterns...>', 'task names, globs, @tags or /regex/')
      .action(run(async () => {
        const { actionCommand } = await import('./action.js');
        return (c: CliContext, patterns: string[], opts: Opts) => actionCommand(c, verb, patterns, opts);
      }));
  }

  withConfig(program.command('kill').description('send a signal to tasks of a running stack'))
    .argument('<patterns...>', 'task names, globs, @tags or /regex/')
    .option('-s, --signal <signal>', 'the signal to send', 'SIGTERM')
    .action(run(async () => (await import('./kill.js')).killCommand));

  withConfig(program.command('logs').description('show past and live log lines'))
    .argument('[patterns...]', 'task names, globs, @tags or /regex/')
    .option('-f, --follow', 'keep printing new lines')
    .option('-n, --lines <n>', 'lines of history per task', '100')
    .action(run(async () => (await import('./logs.js')).logsCommand));

  withConfig(program.command('web').description("print the address of the running stack's web page, with its token"))
    .action(run(async () => (await import('./web.js')).webCommand));

  withConfig(program.command('run').description("start a task and its dependencies, exit with the task's exit code"))
    .argument('<task>', 'the task to run')
    .addOption(new Option('--output <kind>', 'how to show progress and output').choices(['pretty', 'plain', 'json']))
    .action(run(async () => (await import('./run.js')).runCommand));

  withConfig(program.command('graph').description('draw the dependency graph'))
    .addOption(
      new Option('--format <format>', 'output format').choices(['dot', 'svg', 'png', 'pdf', 'json', 'mermaid']).default('dot'),
    )
    .option('-o, --out <file>', 'write to this file ("-" for stdout); images default to ignite-graph.<format>')
    .option('--detailed', 'add commands, readiness and timeouts (tooltips in SVG)')
    .action(run(async () => (await import('./graph.js')).graphCommand));

  withConfig(program.command('validate').description('load and check the config; print every problem'))
    .action(run(async () => (await import('./validate.js')).validateCommand));

  program
    .command('init')
    .description('write a commented sample ignite.config.ts (with --task NAME: print one task with every field)')
    .option('--force', 'overwrite an existing ignite.config.ts')
    .option('--task <name>', 'print a sample task with every field to stdout, and write nothing')
    .action(run(async () => (await import('./init.js')).initCommand));
}
