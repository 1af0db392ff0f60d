import { rmdir } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { err, ok, type Result } from '../core/result.js';
import { ensurePrivateDir, removeQuietly, writeFileAtomic } from './fs-util.js';
import { BROWSER_HEADERS, httpError, sendError } from './http-util.js';
import { closeServer, createControlHttpServer, listenTcp, listenUnix, type RequestHandler } from './listen.js';
import { pointerFile, runDir, socketLocation } from './paths.js';
import { fetchServerInfo, probeSocket } from './probe.js';
import { route, type RouteContext } from './routes.js';
import { bearerChecker, browserRefusal, checkHttpSpec, isOwnHost, ownHosts, prepareToken, urlHost } from './tcp-auth.js';
import { serveWebAsset } from './web-page.js';
import { DEFAULT_LIMITS, type ControlFailure, type ControlServerHandle, type ControlServerOptions } from './types.js';
import { errorMessage } from '../util/error-message.js';

/**
 * Serves the control API on a private Unix socket under the state dir (and,
 * when configured, on a token-protected loopback TCP port). One stack per state
 * dir: a live owner of the socket makes this return `already-running`.
 */
export async function startControlServer(options: ControlServerOptions): Promise<Result<ControlServerHandle, ControlFailure>> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const location = socketLocation(options.stateDir);
  const httpCheck = options.http === undefined ? ok(undefined) : checkHttpSpec(options.http);
  if (!httpCheck.ok) return httpCheck;

  for (const dir of location.fallback ? [runDir(options.stateDir), location.dir] : [location.dir]) {
    const made = await ensurePrivateDir(dir);
    if (!made.ok) return err({ reason: 'unsafe-path', path: dir, message: made.error });
  }
  const owner = await claimSocket(location.path);
  if (!owner.ok) return owner;
  // Only once the state dir is ours: a refused second start must not replace the running token.
  const token = options.http === undefined ? undefined : await prepareToken(options.http);
  if (token !== undefined && !token.ok) return token;

  let httpUrl: string | undefined;
  const ctx: RouteContext = {
    api: options.api,
    logFiles: options.logFiles,
    holdLogs: options.holdLogs,
    limits,
    streams: new Set(),
    info: () => ({
      ...options.info,
      startedAt: new Date(options.info.startedAt).toISOString(),
      stopping: options.stopping?.() ?? false,
      socketPath: location.path,
      httpUrl: httpUrl ?? null,
    }),
  };
  const servers: Server[] = [];
  const unix = createControlHttpServer(limits, (req, res) => void handle(req, res, ctx));
  const unixError = await listenUnix(unix, location.path);
  if (unixError !== undefined) {
    if (unixError.code === 'EADDRINUSE') return alreadyRunning(location.path);
    return err({ reason: 'listen-error', address: location.path, code: unixError.code, message: `cannot listen on ${location.path}: ${unixError.message}` });
  }
  servers.push(unix);
  const close = async (): Promise<void> => {
    for (const stream of ctx.streams) stream.end();
    await Promise.all(servers.map((server) => closeServer(server)));
    if (location.fallback) {
      await removeQuietly(pointerFile(options.stateDir));
      await rmdir(location.dir).catch(() => undefined);
    }
  };

  if (location.fallback) {
    try {
      await writeFileAtomic(pointerFile(options.stateDir), `${location.path}\n`);
    } catch (error) {
      await close();
      return err({ reason: 'listen-error', address: pointerFile(options.stateDir), code: 'EPOINTER', message: `cannot record the socket path: ${errorMessage(error)}` });
    }
  }

  if (options.http !== undefined && token?.ok === true) {
    const { host, port } = options.http;
    const tcp = createControlHttpServer(limits, tcpHandler(host, token.value, ctx));
    const tcpError = await listenTcp(tcp, host, port);
    if (tcpError !== undefined) {
      await close();
      return err({ reason: 'listen-error', address: `${host}:${port}`, code: tcpError.code, message: `cannot listen on ${host}:${port}: ${tcpError.message}` });
    }
    servers.push(tcp);
    const address = tcp.address();
    const boundPort = typeof address === 'object' && address !== null ? address.port : port;
    httpUrl = `http://${urlHost(host)}:${boundPort}`;
  }
  return ok(httpUrl === undefined ? { socketPath: location.path, close } : { socketPath: location.path, httpUrl, close });
}

/** A live owner → already-running; a stale socket (its server died) is removed. */
async function claimSocket(path: string): Promise<Result<void, ControlFailure>> {
  const probe = await probeSocket(path);
  if (probe === 'live') return alreadyRunning(path);
  if (probe === 'stale') await removeQuietly(path);
  return ok(undefined);
}

async function alreadyRunning(path: string): Promise<Result<never, ControlFailure>> {
  const { pid, configFile } = await fetchServerInfo(path);
  const who = pid === undefined ? 'an ignite supervisor' : `an ignite supervisor (pid ${pid})`;
  const message = `${who} is already running for this state dir (socket ${path})`;
  return err({ reason: 'already-running', pid, socketPath: path, message, ...(configFile === undefined ? {} : { configFile }) });
}

/**
 * The TCP listener: browser requests only from its own origin, then the web page
 * (no token), then the API behind the bearer token. Only this listener serves the
 * page: a browser cannot reach the Unix socket.
 */
function tcpHandler(host: string, token: string, ctx: RouteContext): RequestHandler {
  const authorized = bearerChecker(token);
  return (req, res) => {
    for (const [name, value] of Object.entries(BROWSER_HEADERS)) res.setHeader(name, value);
    // the port the connection came in on: the bound one, also when the config asked for port 0
    const own = ownHosts(host, req.socket.localPort ?? 0);
    const refused = browserRefusal(req, own);
    if (refused !== undefined) return sendError(res, refused);
    if (serveWebAsset(req, res, isOwnHost(req, own))) return;
    if (!authorized(req)) {
      return sendError(res, httpError(401, 'unauthorized', 'missing or wrong bearer token'), { 'www-authenticate': 'Bearer' });
    }
    void handle(req, res, ctx);
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> {
  try {
    await route(req, res, ctx);
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendError(res, httpError(500, 'internal', `internal error — please report: ${errorMessage(error)}`));
  }
}
