import type { IncomingMessage, ServerResponse } from 'node:http';
import { err, ok, type Result } from '../core/result.js';

export interface HttpError {
  status: number;
  reason: string;
  message: string;
  /** Extra fields for the error object (e.g. the engine's Failure). */
  extra?: Record<string, unknown>;
}

export const httpError = (status: number, reason: string, message: string, extra?: Record<string, unknown>): HttpError =>
  extra === undefined ? { status, reason, message } : { status, reason, message, extra };

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(payload);
}

/** Headers for every answer of the TCP listener, which a browser may load (the web page). */
export const BROWSER_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export function sendText(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendError(res: ServerResponse, error: HttpError, headers: Record<string, string> = {}): void {
  const body = { error: { ...error.extra, reason: error.reason, message: error.message } };
  // After a rejected body the rest of it is unread: close rather than parse it as the next request.
  const close: Record<string, string> = error.status === 413 || error.status === 408 ? { connection: 'close' } : {};
  sendJson(res, error.status, body, { ...headers, ...close });
}

/** Reads the request body up to `limit` bytes; a larger one is a 413 without reading the rest. */
export function readBody(req: IncomingMessage, limit: number): Promise<Result<string, HttpError>> {
  const tooLarge = httpError(413, 'body-too-large', `request body is larger than ${limit} bytes`);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(err(tooLarge));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        resolve(err(tooLarge));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(ok(Buffer.concat(chunks).toString('utf8')));
    };
    const onError = (): void => {
      cleanup();
      resolve(err(httpError(400, 'bad-request', 'the request body could not be read')));
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** JSON.parse keeps `__proto__` as an own key (no pollution); the schema then rejects unknown keys. */
export function parseJson(text: string): Result<unknown, HttpError> {
  if (text.trim() === '') return ok({});
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'invalid JSON';
    return err(httpError(400, 'invalid-json', `the request body is not valid JSON: ${detail}`));
  }
}

/**
 * The request target as a URL, or undefined when it is not a path. Joined as text, not
 * resolved: `new URL('//x/v1/status', base)` would take `x` for a host.
 */
export function requestUrl(target: string | undefined): URL | undefined {
  const path = target ?? '/';
  const text = `http://ignite.invalid${path}`;
  return path.startsWith('/') && URL.canParse(text) ? new URL(text) : undefined;
}
