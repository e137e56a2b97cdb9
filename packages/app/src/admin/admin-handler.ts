import type { IncomingMessage, ServerResponse } from 'node:http';
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import type { AdminBackend } from './admin-backend';
import { AdminHttpError, errorAnswer, type AdminIssue } from './admin-errors';
import type { AdminAuthorize } from './admin-identity';
import type { AdminRoute } from './admin-route';
import { registerConsole } from '../console/console-routes';
import { nodeListener } from './node-listener';
import { openApiDocument, type OpenApiDocument } from './openapi';
import { outboxRoutes } from './outbox-routes';
import { suppressionRoutes } from './suppression-routes';
import { checkCsrf, identify } from './request-guard';
import { RetryJobs } from './retry-jobs';
import { settingsRoutes } from './settings-routes';
import { templateRoutes } from './template-routes';

/** How a host mounts the admin API. */
export interface AdminHandlerOptions {
  /** The host's gate: who calls (401 without an identity, 403 when it throws `AdminRefusedError`). */
  readonly authorize: AdminAuthorize;
  /** Where the API is reached, as the browser sees it, e.g. `/admin/mailroom`; default: the root. */
  readonly basePath?: string;
  /** Origins besides the request's own host that may send changes with cookies, e.g. `https://console.example.com`. */
  readonly allowedOrigins?: readonly string[];
}

/**
 * The admin API, ready to mount: `fetch` for fetch-style hosts (Hono, Next.js route handlers, Deno, Bun), `listener`
 * for Node ones (node:http, Express, Fastify through @fastify/middie, Koa, NestJS). Mount the listener before any body
 * parser, or leave the parsed JSON on `req.body` (Express's `express.json()`): it is used then.
 */
export interface AdminHandler {
  readonly basePath: string;
  /** The OpenAPI 3.1 document, also served, without sign-in, at `<basePath>/openapi.json`. */
  readonly openapi: OpenApiDocument;
  /** Answers one request (bound: pass it around as it is). */
  readonly fetch: (request: Request) => Promise<Response>;
  /** The same, as a Node listener or middleware (`app.use('/admin', admin.listener)`); never calls `next`. */
  readonly listener: (req: IncomingMessage, res: ServerResponse) => void;
}

const ROUTES: readonly AdminRoute[] = [...outboxRoutes, ...suppressionRoutes, ...settingsRoutes, ...templateRoutes];

/** Builds the admin HTTP API over a Mailroom (or any `AdminBackend`). */
export function adminHandler(backend: AdminBackend, options: AdminHandlerOptions): AdminHandler {
  const basePath = normalizeBasePath(options.basePath);
  const allowedOrigins = options.allowedOrigins ?? [];
  const jobs = new RetryJobs(backend);
  const openapi = openApiDocument(ROUTES, basePath);
  const app = new Hono().basePath(basePath === '' ? '/' : basePath);

  app.get('/openapi.json', () => json(200, openapi));
  registerConsole(app, backend, { authorize: options.authorize, basePath, allowedOrigins, jobs });
  for (const route of ROUTES) {
    app.on(route.method, route.path, async (c) => {
      try {
        checkCsrf(c.req.raw, allowedOrigins);
        const identity = await identify(c.req.raw, options.authorize);
        const params = parse(route.params, c.req.param(), 'params');
        const query = parse(route.query, c.req.query(), 'query');
        const body = route.body ? parse(route.body, await readJson(c), 'body') : undefined;
        return json(route.status ?? 200, await route.handle({ query, params, body, identity, backend, jobs }));
      } catch (error) {
        const { status, body } = errorAnswer(error, backend.logger, `${route.method} ${route.path}`);
        return json(status, body);
      }
    });
  }
  app.notFound((c) =>
    json(404, {
      error: {
        code: 'ADMIN.NO_SUCH_ROUTE',
        message: `No ${c.req.method} ${new URL(c.req.url).pathname} here: the routes are listed in ${basePath}/openapi.json.`,
      },
    }),
  );
  app.onError((error) => {
    const { status, body } = errorAnswer(error, backend.logger, 'admin API');
    return json(status, body);
  });

  const fetch = async (request: Request): Promise<Response> => app.fetch(request);
  return { basePath, openapi, fetch, listener: nodeListener(fetch) };
}

/** A mount path without its trailing slash; `who` and `example` name the handler in the error. */
export function normalizeBasePath(basePath = '', who = 'adminHandler', example = '/admin'): string {
  const trimmed = basePath.replace(/\/+$/, '');
  if (trimmed !== '' && !/^\/[A-Za-z0-9._~!$&'()*+,;=:@/-]*$/.test(trimmed))
    throw new Error(`${who}: basePath must be a URL path starting with "/", e.g. "${example}"; got ${JSON.stringify(basePath)}.`);
  return trimmed;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  });
}

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AdminHttpError(
      400,
      'ADMIN.MALFORMED_JSON',
      `The request body is not valid JSON (${(error as Error).message}): send a JSON object.`,
    );
  }
}

function parse<S extends z.ZodType | undefined>(
  schema: S,
  value: unknown,
  where: 'params' | 'query' | 'body',
): S extends z.ZodType ? z.output<S> : undefined {
  type Out = S extends z.ZodType ? z.output<S> : undefined;
  if (!schema) return undefined as Out;
  const result = schema.safeParse(value);
  if (result.success) return result.data as Out;
  const issues: AdminIssue[] = result.error.issues.map((i) => ({
    field: [where, ...i.path.map(String)].join('.'),
    problem: i.message,
    code: i.code,
  }));
  throw new AdminHttpError(
    422,
    'ADMIN.INVALID_REQUEST',
    `Invalid request: ${issues.map((i) => `${i.field}: ${i.problem}`).join('; ')}`,
    issues,
  );
}
