/**
 * A config may print while it loads (`console.log('using', process.env.DB_URL)`). The
 * CLI's stdout carries data — `ps --json`, `graph --format json`, a mermaid graph
 * appended to a README — so while a config loads, what it logs goes to stderr.
 */
import { inspect } from 'node:util';

export async function withConsoleOnStderr<T>(load: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, info: console.info, debug: console.debug, dir: console.dir };
  // console.table prints through console.log
  console.log = console.info = console.debug = console.error;
  console.dir = (item: unknown, options?: object) => process.stderr.write(`${inspect(item, options)}\n`);
  try {
    return await load();
  } finally {
    Object.assign(console, saved);
  }
}
