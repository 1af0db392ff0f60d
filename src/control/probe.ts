import { connect } from 'node:net';
import { request } from 'node:http';
import { codeOf } from './fs-util.js';
import { BUSY } from './client-request.js';

export type SocketProbe = 'live' | 'stale' | 'absent';

/**
 * Whether a server owns `path`. Only a refused connect (ECONNREFUSED) proves the
 * owner dead; a full backlog (EAGAIN), a reset or silence is a live but busy
 * owner, whose socket must not be taken over.
 */
export function probeSocket(path: string, timeoutMs = 1000): Promise<SocketProbe> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    const done = (result: SocketProbe): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    // A live server too busy to accept within the timeout still owns the socket.
    const timer = setTimeout(() => done('live'), timeoutMs);
    socket.once('connect', () => done('live'));
    socket.once('error', (error) => done(probeResult(codeOf(error))));
  });
}

function probeResult(code: string): SocketProbe {
  if (code === 'ENOENT') return 'absent';
  return BUSY.has(code) ? 'live' : 'stale';
}

/** The pid and config file a live server reports on `/v1/info` (each undefined when it says none). */
export function fetchServerInfo(path: string, timeoutMs = 1000): Promise<{ pid?: number; configFile?: string }> {
  return new Promise((resolve) => {
    const req = request({ socketPath: path, path: '/v1/info', method: 'GET', timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          const { pid, configFile } = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
          resolve({ ...(typeof pid === 'number' ? { pid } : {}), ...(typeof configFile === 'string' ? { configFile } : {}) });
        } catch {
          resolve({});
        }
      });
      res.on('error', () => resolve({}));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({}));
    req.end();
  });
}
