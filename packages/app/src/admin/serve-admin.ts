import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger';
import { ConfigError } from '../config';
import { cookieValue } from '../console/console-csrf';
import { html } from '../console/html';
import type { OpsHandler } from '../ops/ops-handler';
import type { AdminHandler } from './admin-handler';
import { bearerToken } from './bearer-token';

/** Where and how `serveAdmin` listens. */
export interface ServeAdminOptions {
  /** `host:port` (`admin.listen`), e.g. `127.0.0.1:7780`, `[::1]:7780`, `0.0.0.0:7780`; port 0 picks a free one. */
  readonly listen: string;
  /** `admin.token`: when set, every request needs `Authorization: Bearer <token>` (a browser signs in to the console with it once); required off loopback. */
  readonly token?: string;
  readonly logger: Pick<Logger, 'info'>;
  /**
   * The operations endpoints (`mailroom.opsHandler()`), served on the same port before the admin API's guard: `/healthz`
   * and `/readyz` answer without the token (probes carry none); `/metrics` is guarded by the ops handler's own
   * `metricsToken`.
   */
  readonly ops?: OpsHandler;
}

/** The admin API's own server, as `serveAdmin` started it. */
export interface AdminServer {
  readonly server: Server;
  /** The bound address, e.g. `http://127.0.0.1:7780` (the port chosen when 0 was asked). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the admin API on its own port (what `mailroom start` does with `admin.listen` and `admin.token`). Refuses,
 * with a `ConfigError`, to listen on an address other machines can reach without a token.
 */
export async function serveAdmin(handler: AdminHandler, options: ServeAdminOptions): Promise<AdminServer> {
  const { host, port } = parseListen(options.listen);
  const token = options.token === '' ? undefined : options.token;
  if (token === undefined && !isLoopback(host)) {
    throw new ConfigError([
      {
        setting: 'admin.token',
        problem:
          `is not set (MAILROOM_ADMIN_TOKEN), and admin.listen (MAILROOM_ADMIN_LISTEN) is ${options.listen}, which other machines can reach: ` +
          'set a token of at least 24 characters (e.g. openssl rand -base64 32), or listen on loopback (127.0.0.1:7780).',
      },
    ]);
  }
  const guarded = token === undefined ? handler.listener : bearerGuard(token, handler.basePath, handler.listener);
  const ops = options.ops;
  const server = createServer(
    ops === undefined ? guarded : (req, res) => (ops.paths.includes((req.url ?? '/').split('?')[0]!) ? ops.listener : guarded)(req, res),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EADDRNOTAVAIL' || error.code === 'EACCES'
          ? new ConfigError([
              {
                setting: 'admin.listen',
                problem: `cannot listen on ${options.listen} (${error.code}${error.code === 'EADDRINUSE' ? ': another program uses the port' : ''}); set admin.listen (MAILROOM_ADMIN_LISTEN) to a free host:port of this machine`,
              },
            ])
          : error,
      ),
    );
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const url = `http://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}${handler.basePath}`;
  options.logger.info(`admin API listening on ${url}${token === undefined ? ' (loopback, no token)' : ' (bearer token required)'}`, {
    url,
    token: token !== undefined,
  });
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** `host:port` → its parts; a ConfigError naming admin.listen when it is not one. */
export function parseListen(listen: string): { host: string; port: number } {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(listen);
  const port = Number(match?.[3]);
  if (!match || port > 65535) {
    throw new ConfigError([
      {
        setting: 'admin.listen',
        problem: `must be host:port, e.g. 127.0.0.1:7780 or [::1]:7780 (MAILROOM_ADMIN_LISTEN); got ${JSON.stringify(listen)}`,
      },
    ]);
  }
  return { host: (match[1] ?? match[2])!, port };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The console's session cookie when `mailroom start` requires a token: a browser cannot send a bearer token itself. */
const SESSION_COOKIE = 'mailroom_admin_session';

/**
 * Lets a request through with the bearer token, or — for a browser on the console — with the session cookie its
 * sign-in page set after the admin typed the token (`<basePath>/console/sign-in`). Compared as digests, in constant
 * time: an answer says nothing about how much of a wrong token was right. The cookie holds an HMAC of the token, not
 * the token, and is `HttpOnly; SameSite=Strict`.
 */
function bearerGuard(token: string, basePath: string, next: AdminHandler['listener']): AdminHandler['listener'] {
  const expected = createHash('sha256').update(token).digest();
  const session = createHmac('sha256', token).update('mailroom console session').digest('base64url');
  const signIn = `${basePath}/console/sign-in`;
  const matches = (given: string | undefined, digest: Buffer) =>
    given !== undefined && timingSafeEqual(createHash('sha256').update(given).digest(), digest);
  const sessionDigest = createHash('sha256').update(session).digest();
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === signIn) return void signInPage(req, res, (typed) => matches(typed, expected), session, basePath);
    const given = bearerToken(req.headers.authorization);
    if (matches(given, expected) || matches(cookieValue(req.headers.cookie, SESSION_COOKIE), sessionDigest)) return next(req, res);
    if (req.method === 'GET' && path.startsWith(`${basePath}/console`)) {
      res.writeHead(303, { location: signIn, 'cache-control': 'no-store' });
      return void res.end();
    }
    res.writeHead(401, {
      'content-type': 'application/json; charset=utf-8',
      'www-authenticate': 'Bearer realm="mailroom-admin"',
      'cache-control': 'no-store',
    });
    res.end(
      JSON.stringify({
        error: {
          code: 'ADMIN.TOKEN_REQUIRED',
          message: `${given === undefined ? 'No' : 'A wrong'} bearer token: send Authorization: Bearer <admin.token> (MAILROOM_ADMIN_TOKEN).`,
        },
      }),
    );
  };
}

/** GET: a form asking for the admin token; POST: checks it and sets the session cookie. */
function signInPage(req: IncomingMessage, res: ServerResponse, valid: (typed: string) => boolean, session: string, basePath: string): void {
  const page = (status: number, problem?: string) => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      'cache-control': 'no-store',
    });
    res.end(
      html`<!doctype html>
        <html lang="en">
          <head>
            <meta charset="utf-8" />
            <title>Sign in · Mailroom</title>
          </head>
          <body>
            <main>
              <h1>Mailroom console</h1>
              ${problem ? html`<p role="alert">${problem}</p>` : ''}
              <form method="post">
                <label for="token">Admin token (admin.token, MAILROOM_ADMIN_TOKEN)</label>
                <input id="token" name="token" type="password" autocomplete="current-password" required autofocus />
                <button type="submit">Sign in</button>
              </form>
            </main>
          </body>
        </html>`.text,
    );
  };
  if (req.method !== 'POST') return page(200);
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    body += chunk;
    if (body.length > 10_000) req.destroy();
  });
  req.on('end', () => {
    const typed = new URLSearchParams(body).get('token') ?? '';
    if (!valid(typed)) return page(401, 'That is not the admin token. Give the value of admin.token (MAILROOM_ADMIN_TOKEN).');
    res.writeHead(303, {
      location: `${basePath}/console/`,
      'set-cookie': `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Strict`,
      'cache-control': 'no-store',
    });
    res.end();
  });
}
