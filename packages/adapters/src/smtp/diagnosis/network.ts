import { lookup } from 'node:dns/promises';
import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';

/** Fails a promise that takes longer than `ms`, with a coded error like a socket timeout. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} timed out after ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The host's addresses (the host itself when it is an IP address). */
export async function resolveHost(host: string, timeoutMs: number): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return [bare];
  const found = await withTimeout(lookup(bare, { all: true }), timeoutMs, `DNS lookup of ${bare}`);
  return found.map((a) => a.address);
}

/** A TCP connection to the first address that answers; throws the last address's error. */
export async function connectFirst(
  addresses: readonly string[],
  port: number,
  timeoutMs: number,
): Promise<{ socket: Socket; address: string }> {
  let last: unknown = new Error('no address to connect to');
  for (const address of addresses) {
    try {
      return { socket: await connectTcp(address, port, timeoutMs), address };
    } catch (error) {
      last = Object.assign(error as Error, { address });
    }
  }
  throw last;
}

function connectTcp(address: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: address, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`connect to ${address}:${port} timed out`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      adopt(socket);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}

/**
 * TLS over an open socket without rejecting the certificate, so the caller can name what is wrong
 * with it (`authorized`, `authorizationError`). The caller must check before sending anything.
 */
export function handshake(socket: Socket, options: ConnectionOptions, timeoutMs: number): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = tlsConnect({ ...options, socket, rejectUnauthorized: false });
    const timer = setTimeout(() => {
      secure.destroy();
      reject(Object.assign(new Error(`TLS handshake timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    secure.once('secureConnect', () => {
      clearTimeout(timer);
      adopt(secure);
      resolve(secure);
    });
    secure.once('error', (error: Error) => {
      clearTimeout(timer);
      secure.destroy();
      reject(error);
    });
  });
}

// Until nodemailer attaches its own handlers, an error on the open socket must not crash the process;
// nodemailer then sees the closed socket and reports it.
function adopt(socket: Socket): void {
  socket.removeAllListeners('error');
  socket.on('error', () => undefined);
}
