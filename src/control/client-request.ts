import { request, type IncomingMessage } from 'node:http';
import type { Failure } from '../core/failure.js';
import { err, ok, type Result } from '../core/result.js';
import { codeOf, messageOf } from './fs-util.js';
import type { ControlFailure } from './types.js';

export interface RequestOptions {
  socketPath: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  signal?: AbortSignal;
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
      },
      (res) => resolve(ok(res)),
    );
    req.on('error', (error) => resolve(err(transportFailure(error))));
    req.end(payload);
  });
}

export function transportFailure(error: unknown): ControlFailure {
  const code = codeOf(error);
  const what = code === 'ECONNRESET' || code === 'EPIPE' ? 'the supervisor closed the connection' : messageOf(error);
  return { reason: 'connection-lost', message: `lost the connection to the ignite supervisor: ${what}` };
}

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
