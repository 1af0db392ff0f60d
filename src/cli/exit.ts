/**
 * Exiting once the output is out. `process.exit` drops what stdout has not yet handed
 * to the kernel, and a pipe takes only 64 KiB before Node queues the rest: `ignite up
 * --output json | jq` lost the end of the stream (the last events, cut mid-object).
 */

/** Exits with `code` once stdout and stderr have written everything queued (a reader that went away ends the wait too). */
export function exitWhenWritten(code: number): void {
  // the render writers flush what they staged at the next turn (render/writer.ts)
  setImmediate(() => {
    void Promise.all([written(process.stdout), written(process.stderr)]).then(() => process.exit(code));
  });
}

function written(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || stream.writableLength === 0) return Promise.resolve();
  // a write's callback runs once every write before it is done, or failed (EPIPE)
  return new Promise((resolve) => stream.write('', () => resolve()));
}
