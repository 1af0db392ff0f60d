import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineTask, ready } from 'ignite-run';
import type { DependencyInput, TaskInput } from 'ignite-run';
import { findPostgresBinDir } from './find-binary.js';

export interface PostgresOptions {
  /** Name of the server task (default `postgres`); the init task is `<name>-init`. */
  name?: string;
  /** TCP port on 127.0.0.1 (default 5432). */
  port?: number;
  /** The cluster's data folder; created by `initdb` on the first run, kept afterwards. Run as root, ignite creates it for `user`; otherwise its parent must be writable by `user`. */
  dataDir: string;
  /** OS user that runs initdb and the server. PostgreSQL refuses to run as root, so it defaults to `postgres` when ignite runs as root. */
  user?: string;
  /** Database superuser role created by initdb (default `postgres`); local connections are trusted. */
  superuser?: string;
  /** Folder holding `initdb`, `postgres`, `pg_isready` (default: the newest /usr/lib/postgresql/<version>/bin, else PATH). */
  binDir?: string;
  /** Folder for the Unix socket; by default the server listens on TCP only. */
  socketDir?: string;
  /** More `initdb` arguments, e.g. `['--no-sync']` for a throwaway cluster. */
  initArgs?: string[];
  /** More `postgres` arguments, e.g. `['-c', 'fsync=off']`. */
  extraArgs?: string[];
  dependsOn?: DependencyInput[];
}

export interface PostgresTasks {
  /** Oneshot: runs initdb unless the data folder already holds a cluster. */
  init: TaskInput;
  /** The server; depends on `init` having completed. */
  server: TaskInput;
  /** Both, in order, for `defineConfig({ tasks: [...pg.tasks] })`. */
  tasks: [TaskInput, TaskInput];
}

// initdb only when the folder holds no cluster yet; arguments arrive as $1.. so nothing is pasted into the script.
const INIT_SCRIPT =
  'dir=$1 initdb=$2 role=$3; shift 3; test -f "$dir/PG_VERSION" || exec "$initdb" -D "$dir" -U "$role" --auth=trust --encoding=UTF8 --no-instructions "$@"';

/** A PostgreSQL cluster on loopback: a oneshot `initdb`, then the server, ready when it accepts connections. */
export function postgres(options: PostgresOptions): PostgresTasks {
  const name = options.name ?? 'postgres';
  const port = String(options.port ?? 5432);
  const binDir = options.binDir ?? findPostgresBinDir();
  const bin = (file: string): string => (binDir === undefined ? file : join(binDir, file));
  const user = options.user ?? (process.getuid?.() === 0 ? 'postgres' : undefined);
  const asUser = user === undefined ? {} : { user };

  const init = defineTask({
    name: `${name}-init`,
    description: `initdb ${options.dataDir} (skipped when it exists)`,
    command: ['sh', '-c', INIT_SCRIPT, 'initdb', options.dataDir, bin('initdb'), options.superuser ?? 'postgres', ...(options.initArgs ?? [])],
    oneshot: true,
    dependsOn: options.dependsOn ?? [],
    ...asUser,
    // as root, the folder above the data folder is root's: make the data folder and hand it to the user
    ...(user !== undefined && process.getuid?.() === 0 ? { hooks: { preStart: (ctx: { cwd: string }) => ownedFolder(resolve(ctx.cwd, options.dataDir), user) } } : {}),
    tags: ['db'],
  });

  const command: string[] = [
    bin('postgres'),
    ...['-D', options.dataDir, '-p', port],
    ...['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${options.socketDir ?? ''}`],
    ...(options.extraArgs ?? []),
  ];
  const server = defineTask({
    name,
    description: `PostgreSQL on 127.0.0.1:${port}`,
    command,
    dependsOn: [{ task: init, condition: 'completed' }],
    ...asUser,
    ready: ready.log(/database system is ready to accept connections/),
    readyTimeout: '60s',
    health: {
      check: ready.command([bin('pg_isready'), '-q', '-h', '127.0.0.1', '-p', port], { timeout: '3s' }),
      interval: '10s',
      timeout: '5s',
      retries: 3,
    },
    // SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, then exit cleanly.
    stop: { signal: 'SIGINT', timeout: '30s' },
    tags: ['db'],
  });

  return { init, server, tasks: [init, server] };
}

/** Creates `dir` (0700) if missing and makes `user` its owner; argv only (`chown`), nothing pasted into a shell. */
function ownedFolder(dir: string, user: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  execFileSync('chown', [user, dir], { stdio: 'ignore' });
}
