/** `ready.tcp(port)`: a TCP connection to host:port succeeds. */
import { connect } from 'node:net';
import type { ReadySpec } from '../core/ready-spec.js';
import { notYet, poll, PROBE_BACKOFF, READY, settleOnce, type Outcome } from './probe.js';

type TcpSpec = Extract<ReadySpec, { kind: 'tcp' }>;

/** Each connection attempt of a wait gives up after this long (a dropped SYN, say). */
const ATTEMPT_TIMEOUT_MS = 1000;

/** One connection attempt; the socket is destroyed as soon as it connects or fails. */
export function checkTcp(spec: TcpSpec, signal: AbortSignal, timeoutMs = ATTEMPT_TIMEOUT_MS): Promise<Outcome> {
  return settleOnce(signal, (settle) => {
    const socket = connect({ host: spec.host, port: spec.port });
    const timer = setTimeout(() => settle(notYet(`connecting to ${spec.host}:${spec.port} timed out after ${timeoutMs}ms`)), timeoutMs);
    socket.once('connect', () => settle(READY));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      settle(notYet(`cannot connect to ${spec.host}:${spec.port}: ${error.code ?? error.message}`));
    });
    return () => {
      clearTimeout(timer);
      socket.destroy();
    };
  });
}

export function waitTcp(spec: TcpSpec, signal: AbortSignal): Promise<Outcome> {
  return poll((attemptSignal) => checkTcp(spec, attemptSignal), signal, PROBE_BACKOFF);
}
