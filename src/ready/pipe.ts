/**
 * `ready.pipe()`: ignite makes a FIFO, passes its path in IGNITE_READY_PIPE, and
 * the task writes the word `ready` to it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, open } from 'node:fs';
import { chown, mkdir, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { join } from 'node:path';
import type { Result } from '../core/result.js';
import { err, ok } from '../core/result.js';
import { ownedFolder, type FifoOwner } from './pipe-owner.js';
import { fatal, READY, recordMiss, settleOnce, type Outcome } from './probe.js';
import { errorMessage } from '../util/error-message.js';

export interface Fifo {
  path: string;
  /** Removes the FIFO (and the folder made for it). */
  remove: () => Promise<void>;
}

/**
 * Creates a FIFO (mode 0600) in `runDir`, making the folder (0700) if needed; for
 * a task running as another user, in a folder of its own owned by that user.
 */
export async function createFifo(runDir: string, task: string, owner?: FifoOwner): Promise<Result<Fifo, string>> {
  let folder = runDir;
  if (owner === undefined) {
    try {
      await mkdir(runDir, { recursive: true, mode: 0o700 });
    } catch (error) {
      return err(`cannot create ${runDir}: ${errorMessage(error)}`);
    }
  } else {
    const made = await ownedFolder(owner, task);
    if (!made.ok) return made;
    folder = made.value;
  }
  const safe = task.replace(/[^\w.-]/g, '_');
  const path = join(folder, `ready-${safe}-${randomBytes(4).toString('hex')}.fifo`);
  const remove = owner === undefined ? () => rm(path, { force: true }) : () => rm(folder, { recursive: true, force: true });
  const made = await mkfifo(path);
  if (made.ok && owner !== undefined) {
    try {
      await chown(path, owner.uid, owner.gid ?? -1);
    } catch (error) {
      await remove();
      return err(`cannot give ${path} to user ${owner.uid}: ${errorMessage(error)}`);
    }
  }
  if (!made.ok) {
    await remove();
    return made;
  }
  return ok({ path, remove });
}

function mkfifo(path: string): Promise<Result<void, string>> {
  return new Promise((resolve) => {
    let stderr = '';
    const child = spawn('mkfifo', ['-m', '600', path], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => resolve(err(`cannot run mkfifo: ${error.message}`)));
    child.on('close', (code) => resolve(code === 0 ? ok(undefined) : err(`mkfifo ${path} failed: ${stderr.trim() || `exit code ${code}`}`)));
  });
}

const WORD = /\s+/;

/**
 * Opens the FIFO without blocking and reads it as a stream. A writer that
 * closes without saying `ready` ends the stream: reopen and wait for the next.
 */
export function waitPipe(fifo: string | undefined, signal: AbortSignal): Promise<Outcome> {
  if (fifo === undefined) return Promise.resolve(fatal('internal error: no ready pipe was prepared'));
  return settleOnce(signal, (settle) => {
    let socket: Socket | undefined;
    let stopped = false;
    const listen = (): void => {
      // The FIFO may sit in a folder the task's user owns: never follow a link it put there instead.
      open(fifo, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW, (error, fd) => {
        if (error !== null) return settle(fatal(`cannot open the ready pipe ${fifo}: ${error.message}`));
        if (!fstatSync(fd).isFIFO()) {
          closeSync(fd);
          return settle(fatal(`the ready pipe ${fifo} was replaced by something that is not a FIFO`));
        }
        if (stopped) return new Socket({ fd, readable: true, writable: false }).destroy();
        socket = readWords(new Socket({ fd, readable: true, writable: false }), settle, heard, () => {
          if (!stopped) listen();
        });
      });
    };
    // What the task wrote instead of `ready`: the timeout says so.
    const heard = (text: string): void => recordMiss(signal, `received ${JSON.stringify(text)}, not "ready"`);
    listen();
    return () => {
      stopped = true;
      socket?.destroy();
    };
  });
}

/** What the miss quotes of the text received, at most. */
const HEARD_CHARS = 80;

function readWords(socket: Socket, settle: (outcome: Outcome) => void, heard: (text: string) => void, onEnd: () => void): Socket {
  let rest = '';
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    received = (received + chunk).slice(-HEARD_CHARS);
    const words = (rest + chunk).split(WORD);
    // The last word may continue in the next chunk; a 6-character tail is enough to tell it from `ready`.
    rest = (words.pop() ?? '').slice(-6);
    if (words.includes('ready')) settle(READY);
    else if (received.trim() !== '') heard(received.trim());
  });
  socket.on('end', () => {
    if (rest === 'ready') return settle(READY);
    rest = '';
    received = '';
    socket.destroy();
    onEnd();
  });
  socket.on('error', (error) => settle(fatal(`reading the ready pipe failed: ${error.message}`)));
  return socket;
}
