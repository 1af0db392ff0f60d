/**
 * `ready.pipe()`: ignite makes a FIFO, passes its path in IGNITE_READY_PIPE, and
 * the task writes the word `ready` to it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants, open } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { join } from 'node:path';
import type { Result } from '../core/result.js';
import { err, ok } from '../core/result.js';
import { errorMessage, fatal, READY, settleOnce, type Outcome } from './probe.js';

/** Creates a FIFO (mode 0600) in `runDir`, making the folder (0700) if needed. */
export async function createFifo(runDir: string, task: string): Promise<Result<string, string>> {
  try {
    await mkdir(runDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    return err(`cannot create ${runDir}: ${errorMessage(error)}`);
  }
  const safe = task.replace(/[^\w.-]/g, '_');
  const path = join(runDir, `ready-${safe}-${randomBytes(4).toString('hex')}.fifo`);
  return new Promise((resolve) => {
    let stderr = '';
    const child = spawn('mkfifo', ['-m', '600', path], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => resolve(err(`cannot run mkfifo: ${error.message}`)));
    child.on('close', (code) => resolve(code === 0 ? ok(path) : err(`mkfifo ${path} failed: ${stderr.trim() || `exit code ${code}`}`)));
  });
}

export async function removeFifo(path: string): Promise<void> {
  await rm(path, { force: true });
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
      open(fifo, constants.O_RDONLY | constants.O_NONBLOCK, (error, fd) => {
        if (error !== null) return settle(fatal(`cannot open the ready pipe ${fifo}: ${error.message}`));
        if (stopped) return new Socket({ fd, readable: true, writable: false }).destroy();
        socket = readWords(new Socket({ fd, readable: true, writable: false }), settle, () => {
          if (!stopped) listen();
        });
      });
    };
    listen();
    return () => {
      stopped = true;
      socket?.destroy();
    };
  });
}

function readWords(socket: Socket, settle: (outcome: Outcome) => void, onEnd: () => void): Socket {
  let rest = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    const words = (rest + chunk).split(WORD);
    // The last word may continue in the next chunk; a 6-character tail is enough to tell it from `ready`.
    rest = (words.pop() ?? '').slice(-6);
    if (words.includes('ready')) settle(READY);
  });
  socket.on('end', () => {
    if (rest === 'ready') return settle(READY);
    rest = '';
    socket.destroy();
    onEnd();
  });
  socket.on('error', (error) => settle(fatal(`reading the ready pipe failed: ${error.message}`)));
  return socket;
}
