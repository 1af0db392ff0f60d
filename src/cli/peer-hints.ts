/**
 * What users of supervisord, PM2, docker compose, process-compose and foreman type out
 * of habit, and ignite's way to say it: commander's "unknown command" and "unknown
 * option" errors get it as their hint (`ignite status` suggested `start` before).
 */
const COMMANDS = new Map<string, string>([
  ['status', 'ps'], // supervisorctl, pm2
  ['list', 'ps'], // pm2
  ['ls', 'ps'], // pm2, compose
  ['monit', 'ps'], // pm2
  ['top', 'ps'], // compose
  ['tail', 'logs -f'], // supervisorctl
  ['reread', 'reload'], // supervisorctl
  ['update', 'reload'], // supervisorctl
  ['shutdown', 'down'], // supervisorctl
  ['signal', 'kill -s SIGNAL'], // supervisorctl
  ['config', 'validate'], // compose
]);

const CONFIG_FILE = 'the config file is given with -c FILE or --config FILE';

const OPTIONS = new Map<string, string>([
  ['-f', CONFIG_FILE], // compose, process-compose, foreman
  ['--file', CONFIG_FILE],
  ['--tail', 'the last N lines: -n N or --lines N'], // compose logs
]);

/** commander's error text, with the ignite way (in place of its own guess) where a peer's habit caused it. */
export function withPeerHint(text: string): string {
  const command = /^error: unknown command '([^']*)'/.exec(text)?.[1];
  const instead = command === undefined ? undefined : COMMANDS.get(command);
  if (instead !== undefined) return `error: unknown command '${command ?? ''}'\n(Did you mean ${instead}?)\n`;
  // compose's `restart` and `stop` with no names act on every service
  if (text.startsWith("error: missing required argument 'patterns'")) return `${text.trimEnd()}\n(every task is '*')\n`;
  const option = /^error: unknown option '([^'=]*)/.exec(text)?.[1];
  const hint = option === undefined ? undefined : OPTIONS.get(option);
  return hint === undefined ? text : `${text.trimEnd()}\n(${hint})\n`;
}
