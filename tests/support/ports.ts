import { createServer, type AddressInfo } from 'node:net';

/** A port the operating system has just handed out and that nothing listens on now (another process could take it). */
export function aFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
