import { readFile } from 'node:fs/promises';
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

/** State dirs whose private run folder this process has made (or checked) already. */
const ensured = new Set<string>();

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

/** One write; the folder is made once, and made again if someone removed it. */
async function writeState(stateDir: string, state: StateFile): Promise<Result<void, string>> {
  for (let round = 0; ; round++) {
    if (!ensured.has(stateDir)) {
      const dir = await ensurePrivateDir(runDir(stateDir));
      if (!dir.ok) return err(dir.error);
      ensured.add(stateDir);
    }
    try {
      await writeFileAtomic(stateFilePath(stateDir), `${JSON.stringify(state)}\n`);
      return ok(undefined);
    } catch (error) {
      ensured.delete(stateDir);
      if (round > 0 || (error as NodeJS.ErrnoException).code !== 'ENOENT') {
        return err(`cannot write ${stateFilePath(stateDir)}: ${errorMessage(error)}`);
      }
    }
  }
}

/** The recorded state, or undefined when there is none (or it is unreadable). */
export async function readStateFile(stateDir: string): Promise<StateFile | undefined> {
  const text = await readFile(stateFilePath(stateDir), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = stateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
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
  await removeQuietly(stateFilePath(key));
}
