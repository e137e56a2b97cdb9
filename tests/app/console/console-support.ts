import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Mailroom } from '@mailroom/app';

/** The identity the console tests sign in as (a session cookie of the "host"). */
export const ADMIN = { id: 'grace', email: 'grace@example.com' };

export interface ConsoleServer {
  /** e.g. `http://127.0.0.1:41234/admin/console` */
  readonly console: string;
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * The console as a host mounts it: `mailroom.adminHandler` at `/admin` in a node:http server, signed in by a
 * `session=grace` cookie (what the host's own sign-in would set); no cookie, 401.
 */
export async function serveConsole(mailroom: Mailroom<string>): Promise<ConsoleServer> {
  const handler = mailroom.adminHandler({
    basePath: '/admin',
    authorize: async (request) => (/(^|;\s*)session=grace(;|$)/.test(request.headers.get('cookie') ?? '') ? ADMIN : undefined),
  });
  const server: Server = createServer(handler.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    console: `${origin}/admin/console`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
