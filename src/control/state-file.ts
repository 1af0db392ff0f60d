import { lstat, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { err, ok, type Result } from '../core/result.js';
import { ensurePrivateDir, removeQuietly, writeFileAtomic } from './fs-util.js';
import { runDir, stateFilePath } from './paths.js';
import { resolve } from 'node:path';
import { errorMessage } from '../util/error-message.js';

const childSchema = z.object({
  task: z.string(),
  pid: z.number().int().positive(),
  pgid: z.number().int().positive(),
  startTime: z.number().int().nonnegative(),
});

const stateSchema = z.object({
  supervisorPid: z.number().int().positive(),
  /** The supervisor's start time from /proc (clock ticks since boot). */
  supervisorStart: z.number().int().nonnegative(),
  configFile: z.string(),
  /** The ignite version that wrote it; absent from one older than this field. Unknown fields are ignored. */
  version: z.string().optional(),
  children: z.array(childSchema),
});

export type StateFile = z.infer<typeof stateSchema>;
export type StateChild = z.infer<typeof childSchema>;

interface Writer {
  latest: StateFile | undefined;
  running: Promise<Result<void, string>> | undefined;
}

const writers = new Map<string, Writer>();

/**
 * Records the supervisor and its children (atomically, mode 0600). Cheap to call
 * on every spawn and exit: at most one write is in flight per state dir and the
 * latest state wins. Resolves once the given state (or a newer one) is on disk.
 */
export function writeStateFile(stateDir: string, state: StateFile): Promise<Result<void, string>> {
  const key = resolve(stateDir);
  let writer = writers.get(key);
  if (writer === undefined) {
    writer = { latest: undefined, running: undefined };
    writers.set(key, writer);
  }
  writer.latest = state;
  writer.running ??= drain(key, writer);
  return writer.running;
}

/**
 * The state dirs this process has made its run folder in (or checked), each with the
 * identity (device, inode) it had then. A state dir found moved or replaced since (the
 * project folder renamed while the stack runs) is not written to: a write would make
 * the old path again, or land in another stack's state dir made there since.
 */
const pinned = new Map<string, DirIdentity>();

interface DirIdentity {
  dev: number;
  ino: number;
}

async function identityOf(dir: string): Promise<DirIdentity | undefined> {
  const info = await lstat(dir).catch(() => undefined);
  return info === undefined ? undefined : { dev: info.dev, ino: info.ino };
}

async function stillThere(stateDir: string, pin: DirIdentity): Promise<boolean> {
  const now = await identityOf(stateDir);
  return now !== undefined && now.dev === pin.dev && now.ino === pin.ino;
}

async function pin(stateDir: string): Promise<Result<DirIdentity, string>> {
  const dir = await ensurePrivateDir(runDir(stateDir));
  if (!dir.ok) return err(dir.error);
  const identity = await identityOf(stateDir);
  if (identity === undefined) return err(moved(stateDir));
  pinned.set(stateDir, identity);
  return ok(identity);
}

const moved = (stateDir: string): string =>
  `the state dir ${stateDir} was moved or removed while the stack ran: the state file is no longer kept (the stack's socket moved with it, so \`ignite down\` from the new place still works)`;

async function drain(stateDir: string, writer: Writer): Promise<Result<void, string>> {
  let result: Result<void, string> = ok(undefined);
  try {
    while (writer.latest !== undefined) {
      const state = writer.latest;
      writer.latest = undefined;
      const written = await writeState(stateDir, state);
      if (!written.ok) result = written;
    }
    return result;
  } finally {
    writer.running = undefined;
  }
}

/** One write; the run folder is made once, and made again if someone removed it (but not the state dir). */
async function writeState(stateDir: string, state: StateFile): Promise<Result<void, string>> {
  let place = pinned.get(stateDir);
  if (place === undefined) {
    const made = await pin(stateDir);
    if (!made.ok) return made;
    place = made.value;
  }
  for (let round = 0; ; round++) {
    if (!(await stillThere(stateDir, place))) return err(moved(stateDir));
    try {
      await writeFileAtomic(stateFilePath(stateDir), `${JSON.stringify(state)}\n`);
      return ok(undefined);
    } catch (error) {
      if (round > 0 || (error as NodeJS.ErrnoException).code !== 'ENOENT') {
        return err(`cannot write ${stateFilePath(stateDir)}: ${errorMessage(error)}`);
      }
      const dir = await ensurePrivateDir(runDir(stateDir));
      if (!dir.ok) return err(dir.error);
    }
  }
}

/** The recorded state, or undefined when there is none (or it is unreadable). */
export async function readStateFile(stateDir: string): Promise<StateFile | undefined> {
  return (await inspectStateFile(stateDir)).state;
}

/** The recorded state; or, for a file that is there but not a state file (cut short, edited), why. */
export async function inspectStateFile(stateDir: string): Promise<{ state?: StateFile; damaged?: string }> {
  const text = await readFile(stateFilePath(stateDir), 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { damaged: `not JSON: ${errorMessage(error)}` };
  }
  const parsed = stateSchema.safeParse(json);
  return parsed.success ? { state: parsed.data } : { damaged: 'not the fields ignite writes' };
}

/** Removes the state file after any pending write (a clean shutdown leaves nothing to clean). */
export async function removeStateFile(stateDir: string): Promise<void> {
  const key = resolve(stateDir);
  const writer = writers.get(key);
  if (writer !== undefined) {
    writer.latest = undefined;
    await writer.running;
    writers.delete(key);
  }
  const place = pinned.get(key);
  pinned.delete(key);
  // moved away: what is at the old path now is not ours to remove
  if (place !== undefined && !(await stillThere(key, place))) return;
  await removeQuietly(stateFilePath(key));
}
