/** `ready.http(url)`: a request answers with an expected status (any 2xx by default). */
import type { ReadySpec } from '../core/ready-spec.js';
import { toMs } from '../util/duration.js';
import { ABORTED, isAborted, notYet, poll, PROBE_BACKOFF, READY, type Outcome } from './probe.js';
import { errorMessage } from '../util/error-message.js';

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

/** One request, bounded by the spec's timeout; the body is discarded so the connection is freed. */
export async function checkHttp(spec: HttpSpec, signal: AbortSignal): Promise<Outcome> {
  if (signal.aborted) return ABORTED;
  const timeoutMs = spec.timeout === undefined ? DEFAULT_TIMEOUT_MS : toMs(spec.timeout);
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  signal.addEventListener('abort', abort, { once: true });
  const timer = setTimeout(abort, timeoutMs);
  try {
    const response = await fetch(spec.url, { method: spec.method, headers: spec.headers, signal: controller.signal, redirect: 'manual' });
    await response.body?.cancel().catch(() => undefined);
    if (expected(spec, response.status)) return READY;
    return notYet(`${spec.method} ${spec.url} answered ${response.status}, expected ${describeExpected(spec)}`);
  } catch (error) {
    if (isAborted(signal)) return ABORTED;
    if (controller.signal.aborted) return notYet(`${spec.method} ${spec.url} timed out after ${timeoutMs}ms`);
    return notYet(`${spec.method} ${spec.url} failed: ${causeOf(error)}`);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', abort);
  }
}

/** fetch's "fetch failed" hides the useful part (ECONNREFUSED) in `cause`. */
function causeOf(error: unknown): string {
  if (error instanceof Error && error.cause !== undefined) {
    const cause = error.cause as { code?: unknown; message?: unknown };
    if (typeof cause.code === 'string') return cause.code;
    if (typeof cause.message === 'string') return cause.message;
  }
  return errorMessage(error);
}

export function waitHttp(spec: HttpSpec, signal: AbortSignal): Promise<Outcome> {
  return poll((attemptSignal) => checkHttp(spec, attemptSignal), signal, PROBE_BACKOFF);
}
