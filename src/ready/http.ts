/**
 * `ready.http(url)`: a request answers with an expected status (any 2xx by default).
 * node:http/https rather than fetch: fetch drops a `Host` header (a forbidden header
 * name), and a check against a virtual host needs it to reach the server.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ReadySpec } from '../core/ready-spec.js';
import { toMs } from '../util/duration.js';
import { notYet, poll, PROBE_BACKOFF, READY, settleOnce, type Outcome } from './probe.js';

type HttpSpec = Extract<ReadySpec, { kind: 'http' }>;

const DEFAULT_TIMEOUT_MS = 2000;

function expected(spec: HttpSpec, status: number): boolean {
  if (spec.status === undefined) return status >= 200 && status < 300;
  return Array.isArray(spec.status) ? spec.status.includes(status) : spec.status === status;
}

function describeExpected(spec: HttpSpec): string {
  if (spec.status === undefined) return '2xx';
  return Array.isArray(spec.status) ? spec.status.join(' or ') : String(spec.status);
}

/**
 * One request with the spec's method and headers (Host included), bounded by its timeout.
 * Redirects are not followed (a 3xx is the answer); the body is discarded and the socket closed.
 */
export function checkHttp(spec: HttpSpec, signal: AbortSignal): Promise<Outcome> {
  const timeoutMs = spec.timeout === undefined ? DEFAULT_TIMEOUT_MS : toMs(spec.timeout);
  const label = `${spec.method} ${spec.url}`;
  return settleOnce(signal, (settle) => {
    const url = new URL(spec.url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, { method: spec.method, headers: spec.headers, agent: false }, (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      settle(expected(spec, status) ? READY : notYet(`${label} answered ${status}, expected ${describeExpected(spec)}`));
    });
    const timer = setTimeout(() => settle(notYet(`${label} timed out after ${timeoutMs}ms`)), timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => settle(notYet(`${label} failed: ${error.code ?? error.message}`)));
    request.end();
    return () => {
      clearTimeout(timer);
      request.destroy();
    };
  });
}

export function waitHttp(spec: HttpSpec, signal: AbortSignal): Promise<Outcome> {
  return poll((attemptSignal) => checkHttp(spec, attemptSignal), signal, PROBE_BACKOFF);
}
