import { createServer } from 'node:net';

/** A loopback port that was free a moment ago (bound to 0 on `host`, 127.0.0.1 by default, then released). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether this machine has the IPv6 loopback `::1` (a container may have IPv6 turned off). */
export function hasIpv6Loopback(): Promise<boolean> {
  return freePort('::1').then(
    () => true,
    () => false,
  );
}
