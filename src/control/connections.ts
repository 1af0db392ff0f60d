import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionPolicy {
  /** Open connections per listener. */
  maxConnections: number;
  /** A connection that has not sent a byte of a request within this time is closed. */
  idleTimeoutMs: number;
  /** Time allowed from the first byte of a request to its last header / its last body byte. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

/** What Node's own http server answers when a request times out (then it destroys the socket). */
const REQUEST_TIMEOUT = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';

/**
 * Admission for one listener. A connection is *idle* while no request is in
 * flight on it (just opened, or kept alive between requests), *busy* otherwise.
 *
 * - a connection idle for `idleTimeoutMs` (no request begun since it opened or
 *   since its last answer) is closed;
 * - when `maxConnections` are open, a new connection closes the one that has
 *   been idle the longest (it is the least likely to still be wanted, and
 *   closing it loses no request: its client sees a reset between requests);
 * - only when every open connection is busy is the new one refused.
 *
 * So a flood of silent connections can never lock out a real client, and a
 * request in progress (a `down`, an event stream) is never cut to make room.
 * Bookkeeping is O(1) per connection and per request.
 *
 * The header and request timeouts are enforced here too, by per-connection
 * timers: Node's own check is a server-wide interval that would wake an idle
 * supervisor every few seconds (createControlHttpServer turns it off).
 */
export function manageConnections(server: Server, policy: ConnectionPolicy): void {
  const open = new Set<Socket>();
  /** Idle connections, oldest idle first (Map keeps insertion order). */
  const idle = new Map<Socket, true>();
  const inFlight = new Map<Socket, number>();
  const timers = new Map<Socket, NodeJS.Timeout>();
  const waitMs = Math.min(policy.idleTimeoutMs, policy.headersTimeoutMs);
  /** Idle again: closed unless a request's headers arrive within the idle (or headers) timeout. */
  const markIdle = (socket: Socket): void => {
    idle.set(socket, true);
    clearTimeout(timers.get(socket));
    const readBefore = socket.bytesRead;
    // bytes since it went idle: a request had begun, so it gets Node's 408 before the close
    const expire = (): void => timeOut(socket, socket.bytesRead > readBefore);
    timers.set(socket, setTimeout(expire, waitMs).unref());
  };
  const forget = (socket: Socket): void => {
    open.delete(socket);
    idle.delete(socket);
    inFlight.delete(socket);
    clearTimeout(timers.get(socket));
    timers.delete(socket);
  };

  // Own timers, not socket.setTimeout: with connectionsCheckingInterval set, Node 20's
  // http server never fires a socket timeout on a connection that sent nothing.
  server.on('connection', (socket: Socket) => {
    if (open.size >= policy.maxConnections && !evictOldestIdle(idle, forget)) {
      socket.destroy();
      return;
    }
    open.add(socket);
    socket.once('close', () => forget(socket));
    markIdle(socket);
  });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    if (!open.has(socket)) return;
    idle.delete(socket);
    clearTimeout(timers.get(socket));
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    watchBody(req, res, policy.requestTimeoutMs);
    res.once('close', () => {
      if (!open.has(socket)) return;
      const left = (inFlight.get(socket) ?? 1) - 1;
      if (left > 0) {
        inFlight.set(socket, left);
        return;
      }
      inFlight.delete(socket);
      // Back to idle, now the newest.
      if (!socket.destroyed) markIdle(socket);
    });
  });
}

/** Answers 408 (unless a response has begun) to a request whose body has not all arrived in time. */
function watchBody(req: IncomingMessage, res: ServerResponse, timeoutMs: number): void {
  if (req.complete || timeoutMs <= 0) return;
  const timer = setTimeout(() => {
    if (!req.complete) timeOut(req.socket, !res.headersSent);
  }, timeoutMs).unref();
  const done = (): void => clearTimeout(timer);
  req.once('end', done);
  req.once('close', done);
  res.once('close', done);
}

function timeOut(socket: Socket, answer: boolean): void {
  if (answer && socket.writable) socket.write(REQUEST_TIMEOUT);
  socket.destroy();
}

function evictOldestIdle(idle: Map<Socket, true>, forget: (socket: Socket) => void): boolean {
  const oldest = idle.keys().next();
  if (oldest.done === true) return false;
  forget(oldest.value);
  oldest.value.destroy();
  return true;
}
