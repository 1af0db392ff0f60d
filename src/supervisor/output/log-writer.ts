/**
 * A task's log files: both streams in one file (mixed), or stdout and stderr
 * apart; optional ISO timestamps; rotation by size (see rotating-file.ts).
 */
import { RotatingFile } from './rotating-file.js';
import type { LogSpec, LogWriter } from './types.js';
import type { OutputStream } from '../../ready/types.js';

export function createLogWriter(spec: LogSpec, onError: (error: Error) => void = ignore): LogWriter {
  const options = { maxSizeBytes: spec.maxSizeBytes, maxFiles: spec.maxFiles, onError };
  const out = new RotatingFile(spec.file, options);
  const err = spec.mixed || spec.errFile === undefined ? out : new RotatingFile(spec.errFile, options);
  const stamp = spec.timestamps ? timestamper() : undefined;
  let closing: Promise<void> | undefined;

  return {
    write(block: string, stream: OutputStream, at: number, bytes?: Buffer): void {
      const file = stream === 'stderr' ? err : out;
      if (stamp === undefined) file.add(bytes ?? block);
      else {
        const prefix = stamp(at);
        file.add(prefix + block.replaceAll('\n', `\n${prefix}`));
      }
    },
    backlog(): Promise<void> | undefined {
      const waits = [out.backlog(), err === out ? undefined : err.backlog()].filter((wait) => wait !== undefined);
      return waits.length === 0 ? undefined : Promise.all(waits).then(ignore);
    },
    hold(): Promise<() => void> {
      const holds = [out.hold(), ...(err === out ? [] : [err.hold()])];
      return Promise.all(holds).then((releases) => () => {
        for (const release of releases) release();
      });
    },
    close(): Promise<void> {
      closing ??= Promise.all([out.close(), err === out ? undefined : err.close()]).then(ignore);
      return closing;
    },
  };
}

/** `2024-05-01T12:00:00.000Z ` — cached, since many lines share a millisecond. */
function timestamper(): (at: number) => string {
  let lastAt = Number.NaN;
  let last = '';
  return (at) => {
    if (at !== lastAt) {
      lastAt = at;
      last = `${new Date(Number.isFinite(at) ? at : Date.now()).toISOString()} `;
    }
    return last;
  };
}

function ignore(): void {
  // no listener: failures are dropped
}
