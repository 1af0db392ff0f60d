/** `ready.tcp(port)`: a TCP connection to host:port succeeds. */
import { connect, type Socket } from 'node:net';
import { hostPort, type ReadySpec } from '../core/ready-spec.js';
import { notYet, poll, PROBE_BACKOFF, READY, settleOnce, type Outcome } from './probe.js';

type TcpSpec = Extract<ReadySpec, { kind: 'tcp' }>;

/** Each connection attempt of a wait gives up after this long (a dropped SYN, say). */
const ATTEMPT_TIMEOUT_MS = 1000;

/**
 * Without a host, both loopbacks, in turn: a server listening on `localhost` is on
 * whichever address that resolved to first (`::1` for Node ≥ 17 on macOS, say).
 * One at a time, so a server on 127.0.0.1 gets one connection per check, as before.
 */
const LOOPBACKS = ['127.0.0.1', '::1'] as const;

/** One check: a connection to each host in turn until one succeeds; each socket is destroyed at once. */
export function checkTcp(spec: TcpSpec, signal: AbortSignal, timeoutMs = ATTEMPT_TIMEOUT_MS): Promise<Outcome> {
  const hosts = spec.host === undefined ? LOOPBACKS : [spec.host];
  return settleOnce(signal, (settle) => {
    const misses: { address: string; code: string }[] = [];
    let socket: Socket | undefined;
    let address = '';
    const next = (): void => {
      const host = hosts[misses.length];
      if (host === undefined) {
        settle(notYet(cannotConnect(misses)));
        return;
      }
      address = hostPort(host, spec.port);
      socket = connect({ host, port: spec.port });
      socket.once('connect', () => settle(READY));
      socket.on('error', (error: NodeJS.ErrnoException) => {
        socket?.destroy();
        misses.push({ address, code: error.code ?? error.message });
        next();
      });
    };
    const timer = setTimeout(() => settle(notYet(`connecting to ${address} timed out after ${timeoutMs}ms`)), timeoutMs);
    next();
    return () => {
      clearTimeout(timer);
      socket?.destroy();
    };
  });
}

/** `cannot connect to 127.0.0.1:80 or [::1]:80: ECONNREFUSED`, each code named when they differ. */
function cannotConnect(misses: readonly { address: string; code: string }[]): string {
  const codes = new Set(misses.map((miss) => miss.code));
  if (codes.size === 1) return `cannot connect to ${misses.map((miss) => miss.address).join(' or ')}: ${[...codes].join('')}`;
  return `cannot connect to ${misses.map((miss) => `${miss.address} (${miss.code})`).join(' or ')}`;
}

export function waitTcp(spec: TcpSpec, signal: AbortSignal): Promise<Outcome> {
  return poll((attemptSignal) => checkTcp(spec, attemptSignal), signal, PROBE_BACKOFF);
}
