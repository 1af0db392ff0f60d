import { chmod } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ControlLimits } from './types.js';
import { manageConnections } from './connections.js';
import { codeOf } from './fs-util.js';
import { errorMessage } from '../util/error-message.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Longest interval Node accepts (~24.8 days): its connection check effectively never runs. */
const NEVER_MS = 2 ** 31 - 1;

export function createControlHttpServer(limits: ControlLimits, handler: RequestHandler): Server {
  const server = createServer(
    {
      // Enforced per connection by manageConnections: Node's check is a setInterval that wakes
      // an idle supervisor every `connectionsCheckingInterval`, connections or not.
      headersTimeout: 0,
      requestTimeout: 0,
      connectionsCheckingInterval: NEVER_MS,
      keepAliveTimeout: 5_000,
      maxHeaderSize: 16 * 1024,
    },
    (req, res) => {
      // A request arrived: its own timeouts (and a long `down` or event stream) take over.
      req.socket.setTimeout(0);
      handler(req, res);
    },
  );
  // Not server.maxConnections: it refuses newcomers, so idle connections could lock clients out.
  manageConnections(server, limits);
  server.maxRequestsPerSocket = 1000;
  return server;
}

export type ListenError = { code: string; message: string };

function awaitListening(server: Server, start: () => void): Promise<ListenError | undefined> {
  return new Promise((resolve) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      resolve({ code: codeOf(error), message: errorMessage(error) });
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve(undefined);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    start();
  });
}

/**
 * Binds a Unix socket with mode 0600. The socket is created inside a 0700
 * directory and under a 0177 umask, so it is never reachable by others even
 * before the chmod.
 */
export async function listenUnix(server: Server, path: string): Promise<ListenError | undefined> {
  const failed = await awaitListening(server, () => {
    let previous: number | undefined;
    try {
      previous = process.umask(0o177);
    } catch {
      // worker threads cannot change the umask; the 0700 directory still protects the socket
    }
    try {
      server.listen(path);
    } finally {
      if (previous !== undefined) process.umask(previous);
    }
  });
  if (failed !== undefined) return failed;
  try {
    await chmod(path, 0o600);
    return undefined;
  } catch (error) {
    return { code: codeOf(error), message: errorMessage(error) };
  }
}

export function listenTcp(server: Server, host: string, port: number): Promise<ListenError | undefined> {
  return awaitListening(server, () => server.listen({ host, port, exclusive: true }));
}

/** Stops accepting, lets in-flight responses finish briefly, then cuts what is left. */
export function closeServer(server: Server, graceMs = 1000): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
