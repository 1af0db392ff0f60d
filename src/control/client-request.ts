import { request, type IncomingMessage } from 'node:http';
import type { Failure } from '../core/failure.js';
import { err, ok, type Result } from '../core/result.js';
import { codeOf } from './fs-util.js';
import type { ControlFailure } from './types.js';
import { errorMessage } from '../util/error-message.js';

export interface RequestOptions {
  socketPath: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  signal?: AbortSignal;
  /** Gives up when the socket stays silent this long (code ETIMEDOUT). */
  timeoutMs?: number;
}

/** Sends one request; resolves with the response once its headers arrived (or a transport failure). */
export function send(options: RequestOptions): Promise<Result<IncomingMessage, ControlFailure>> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve) => {
    const req = request(
      {
        socketPath: options.socketPath,
        path: options.path,
        method: options.method,
        headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        signal: options.signal,
        // Node's global agent times a socket out after 5 s of silence: a `down` may take a whole
        // shutdown timeout and an event stream may be quiet for hours, so only timeoutMs applies.
        agent: false,
        ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
      },
      (res) => resolve(ok(res)),
    );
    req.on('error', (error) => resolve(err(transportFailure(error))));
    const { timeoutMs } = options;
    if (timeoutMs !== undefined) {
      req.on('timeout', () => {
        req.destroy(Object.assign(new Error(`no answer within ${String(timeoutMs)}ms`), { code: 'ETIMEDOUT' }));
      });
    }
    req.end(payload);
  });
}

export function transportFailure(error: unknown): ControlFailure {
  const code = codeOf(error);
  const what = code === 'ECONNRESET' || code === 'EPIPE' ? 'the supervisor closed the connection' : errorMessage(error);
  return { reason: 'connection-lost', code, message: `lost the connection to the ignite supervisor: ${what}` };
}

/** Nobody listens on the socket: no file (ENOENT) or no server behind it (ECONNREFUSED). */
export const NOBODY_LISTENS: ReadonlySet<string> = new Set(['ENOENT', 'ECONNREFUSED']);

/**
 * A live server that did not answer this time: it closed the connection (reset,
 * broken pipe, "socket hang up"), its backlog was full (EAGAIN) or it was silent.
 */
export const BUSY: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'EAGAIN', 'ETIMEDOUT']);

const BACKOFF_MS = [100, 400];

/**
 * `call` for a request that is safe to repeat (a GET): a busy server is asked
 * again after 100 ms and 400 ms before the failure is returned.
 */
export async function callRetrying(options: RequestOptions): Promise<Result<unknown, ControlFailure>> {
  for (let attempt = 0; ; attempt++) {
    const result = await call(options);
    const delay = BACKOFF_MS[attempt];
    if (result.ok || delay === undefined || !isBusy(result.error)) return result;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

export const isBusy = (failure: ControlFailure): boolean =>
  failure.reason === 'connection-lost' && failure.code !== undefined && BUSY.has(failure.code);

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A 4xx/5xx body `{ error: { reason, message, failure? } }` as a ControlFailure. */
export async function errorFrom(res: IncomingMessage): Promise<ControlFailure> {
  const status = res.statusCode ?? 0;
  const text = await readAll(res).catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const error = typeof body === 'object' && body !== null && 'error' in body ? body.error : undefined;
  const record = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const code = typeof record.reason === 'string' ? record.reason : `http-${status}`;
  const message = typeof record.message === 'string' ? record.message : `the supervisor answered HTTP ${status}`;
  const failure = typeof record.failure === 'object' && record.failure !== null ? (record.failure as Failure) : undefined;
  return failure === undefined ? { reason: 'server-error', status, code, message } : { reason: 'server-error', status, code, message, failure };
}

/** A whole JSON exchange: 2xx → the parsed body, otherwise a ControlFailure. */
export async function call(options: RequestOptions): Promise<Result<unknown, ControlFailure>> {
  const sent = await send(options);
  if (!sent.ok) return sent;
  const res = sent.value;
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) return err(await errorFrom(res));
  try {
    return ok(JSON.parse(await readAll(res)) as unknown);
  } catch (error) {
    return err(transportFailure(error));
  }
}
