import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { ControlSpec } from '../core/model.js';
import { err, ok, type Result } from '../core/result.js';
import { writeFileAtomic } from './fs-util.js';
import { httpError, type HttpError } from './http-util.js';
import type { ControlFailure } from './types.js';
import { errorMessage } from '../util/error-message.js';
import { isLoopback } from '../config/control-host.js';

type HttpSpec = NonNullable<ControlSpec['http']>;

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** A non-loopback host is only allowed with a token the user chose. */
export function checkHttpSpec(spec: HttpSpec): Result<void, ControlFailure> {
  if (isLoopback(spec.host) || spec.token !== undefined) return ok(undefined);
  return err({
    reason: 'insecure-http',
    host: spec.host,
    message: `control.http.host ${spec.host} is not a loopback address: set control.http.token explicitly to expose the control API beyond this machine`,
  });
}

/**
 * The configured token, or a fresh one written to `tokenFile` (0600, atomically). The
 * mode of a folder ignite did not create is never changed.
 */
export async function prepareToken(spec: HttpSpec): Promise<Result<string, ControlFailure>> {
  if (spec.token !== undefined) return ok(spec.token);
  const token = randomBytes(32).toString('hex');
  try {
    // a missing folder is ours and made 0700; an existing one (the project, /tmp) keeps its
    // mode: the file itself is 0600 from the start, which is what keeps the token private
    await mkdir(dirname(spec.tokenFile), { recursive: true, mode: 0o700 });
    await writeFileAtomic(spec.tokenFile, `${token}\n`);
  } catch (error) {
    return err({ reason: 'token-file', file: spec.tokenFile, message: `cannot write ${spec.tokenFile}: ${errorMessage(error)}` });
  }
  return ok(token);
}

/** A checker for `Authorization: Bearer <token>`, comparing fixed-length digests in constant time. */
export function bearerChecker(token: string): (req: IncomingMessage) => boolean {
  const expected = digest(token);
  return (req) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const given = digest(match?.[1] ?? '');
    return timingSafeEqual(given, expected) && match !== null;
  };
}

/** The host as written in a URL: `::1` → `[::1]`. */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * The `host:port` names that mean this listener: the address it is bound to, and
 * `localhost` beside a loopback IP.
 */
export function ownHosts(host: string, port: number): ReadonlySet<string> {
  const names = host === '127.0.0.1' || host === '::1' ? [urlHost(host), 'localhost'] : [urlHost(host)];
  return new Set(names.map((name) => `${name}:${port}`.toLowerCase()));
}

/** Whether the request's `Host` header names this listener. */
export function isOwnHost(req: IncomingMessage, own: ReadonlySet<string>): boolean {
  return own.has((req.headers.host ?? '').toLowerCase());
}

/**
 * A browser request (one with `Origin`) passes only from the listener's own origin,
 * and only when `Host` names the listener too: a page on a DNS-rebound name
 * (`evil.example` resolving to 127.0.0.1) carries that name in Host and Origin.
 * Requests without Origin (curl, scripts) are not browser requests: unchanged.
 */
export function browserRefusal(req: IncomingMessage, own: ReadonlySet<string>): HttpError | undefined {
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  if (isOwnHost(req, own) && origin === `http://${(req.headers.host ?? '').toLowerCase()}`) return undefined;
  return httpError(403, 'forbidden', 'browser requests are accepted only from the page this listener serves');
}
