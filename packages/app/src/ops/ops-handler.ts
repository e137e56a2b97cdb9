import type { IncomingMessage, ServerResponse } from 'node:http';
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { normalizeBasePath } from '../admin/admin-handler';
import { bearerToken, sameSecret } from '../admin/bearer-token';
import { nodeListener } from '../admin/node-listener';

/** How a host mounts the operations endpoints. */
export interface OpsHandlerOptions {
  /** Where the handler is reached, e.g. `/ops`; default: the root (`/metrics`, `/healthz`, `/readyz`). */
  readonly basePath?: string;
  /**
   * When set, `/metrics` answers only with `Authorization: Bearer <metricsToken>` (401 otherwise). `/healthz` and
   * `/readyz` stay open: probes carry no token and the answers hold no detail beyond codes.
   */
  readonly metricsToken?: string;
}

/**
 * The operations endpoints, ready to mount like the admin handler: `fetch` for fetch-style hosts, `listener` for Node
 * ones (`app.use(ops.listener)`); never calls `next`. `paths` are the paths it answers.
 */
export interface OpsHandler {
  readonly basePath: string;
  readonly paths: readonly string[];
  readonly fetch: (request: Request) => Promise<Response>;
  readonly listener: (req: IncomingMessage, res: ServerResponse) => void;
}

/** Whether this Mailroom can do its work: the database answers and delivery is not stopped or paused. */
export interface Readiness {
  readonly ready: boolean;
  readonly database: { readonly ok: boolean; readonly code?: string };
  /**
   * `healthy` (sending, or nothing to send), `stopped` (the server refuses our credentials or configuration, a quota
   * is spent, or this Mailroom was stopped), `paused` (outcomes cannot be written to the database).
   */
  readonly delivery: { readonly state: 'healthy' | 'stopped' | 'paused'; readonly code?: string };
}

/** What the operations handler reads (a Mailroom gives it). */
export interface OpsBackend {
  readonly registry: Registry;
  readiness(): Promise<Readiness>;
}

const HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/**
 * `GET /metrics` (Prometheus text), `GET /healthz` (200 while the process answers) and `GET /readyz` (200 ready, 503
 * not, with what is wrong as codes).
 */
export function opsHandler(backend: OpsBackend, options: OpsHandlerOptions = {}): OpsHandler {
  const basePath = normalizeBasePath(options.basePath, 'opsHandler', '/ops');
  const token = options.metricsToken === '' ? undefined : options.metricsToken;
  const app = new Hono().basePath(basePath === '' ? '/' : basePath);

  app.get('/healthz', () => json(200, { status: 'ok' }));
  app.get('/readyz', async () => {
    const readiness = await backend.readiness();
    return json(readiness.ready ? 200 : 503, { status: readiness.ready ? 'ready' : 'not ready', ...readiness });
  });
  app.get('/metrics', async (c) => {
    if (token !== undefined && !sameSecret(bearerToken(c.req.header('authorization')), token)) {
      return new Response('A bearer token is required: send Authorization: Bearer <token>.\n', {
        status: 401,
        headers: { ...HEADERS, 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="mailroom-metrics"' },
      });
    }
    return new Response(await backend.registry.metrics(), {
      status: 200,
      headers: { ...HEADERS, 'content-type': backend.registry.contentType },
    });
  });
  app.notFound(() =>
    json(404, { error: { code: 'OPS.NO_SUCH_ROUTE', message: `Only GET ${basePath}/metrics, /healthz and /readyz here.` } }),
  );

  const fetch = async (request: Request): Promise<Response> => app.fetch(request);
  const paths = ['/metrics', '/healthz', '/readyz'].map((p) => `${basePath}${p}`);
  return { basePath, paths, fetch, listener: nodeListener(fetch) };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...HEADERS, 'content-type': 'application/json; charset=utf-8' } });
}
