/**
 * `ready.file(path)`: the path (relative to the task's cwd) exists. Event-driven
 * through `fs.watch` on its folder, with polling that backs off as a fallback:
 * the folder may not exist yet, and watching can fail (inotify limits, network
 * file systems).
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ReadySpec } from '../core/ready-spec.js';
import { notYet, READY, settleOnce, type Outcome, type ProbeRun } from './probe.js';

type FileSpec = Extract<ReadySpec, { kind: 'file' }>;

const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 1000;

export function checkFile(spec: FileSpec, run: ProbeRun): Promise<Outcome> {
  const path = resolve(run.cwd, spec.path);
  return Promise.resolve(existsSync(path) ? READY : notYet(`${path} does not exist`));
}

export function waitFile(spec: FileSpec, run: ProbeRun, signal: AbortSignal): Promise<Outcome> {
  const path = resolve(run.cwd, spec.path);
  return settleOnce(signal, (settle) => {
    let watcher: FSWatcher | undefined;
    let timer: NodeJS.Timeout | undefined;
    let delay = FIRST_POLL_MS;
    let stopped = false;
    const look = (): void => {
      if (existsSync(path)) settle(READY);
    };
    const tryWatch = (): void => {
      if (watcher !== undefined) return;
      try {
        watcher = watch(dirname(path), { persistent: false }, look);
        watcher.on('error', () => {
          watcher?.close();
          watcher = undefined;
        });
      } catch {
        watcher = undefined; // the folder does not exist yet: polling goes on
      }
    };
    const tick = (): void => {
      tryWatch();
      look();
      if (stopped) return;
      delay = Math.min(MAX_POLL_MS, delay * 1.5);
      timer = setTimeout(tick, delay);
    };
    tryWatch();
    look();
    timer = setTimeout(tick, delay);
    return () => {
      stopped = true;
      clearTimeout(timer);
      watcher?.close();
    };
  });
}
