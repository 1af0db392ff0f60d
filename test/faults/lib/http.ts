/** Raw HTTP over the control socket (or TCP), for hostile requests a client would never send. */
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  body: string;
}

/** Sends raw bytes and reads the whole answer (the server closes or we time out). */
export function rawRequest(target: { path: string } | { port: number }, payload: string | Buffer, timeoutMs = 5000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket: Socket = 'path' in target ? connect(target.path) : connect(target.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms; got ${Buffer.concat(chunks).toString().slice(0, 200)}`));
    }, timeoutMs);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      const text = Buffer.concat(chunks).toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text)?.[1];
      if (head >= 0 && length !== undefined && text.length >= head + 4 + Number(length)) done();
    });
    socket.on('error', () => done());
    socket.on('close', () => done());
    socket.write(payload);
    function done(): void {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    }
  });
}

export function request(target: { path: string } | { port: number }, method: string, url: string, body?: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const head = [`${method} ${url} HTTP/1.1`, 'Host: localhost', 'Connection: close'];
  for (const [k, v] of Object.entries(headers)) head.push(`${k}: ${v}`);
  if (body !== undefined) head.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
  return rawRequest(target, `${head.join('\r\n')}\r\n\r\n${body ?? ''}`);
}
