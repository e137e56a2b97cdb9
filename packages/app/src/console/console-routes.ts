import type { Hono } from 'hono';
import type { AdminBackend } from '../admin/admin-backend';
import type { AdminAuthorize } from '../admin/admin-identity';
import type { RetryJobs } from '../admin/retry-jobs';
import { AdminHttpError } from '../admin/admin-errors';
import { identify, sameOrigin } from '../admin/request-guard';
import { CONSOLE_ASSETS } from './assets';
import { CSRF_FIELD, csrfToken, csrfValid } from './console-csrf';
import type { ConsoleAnswer, ConsoleContext } from './console-page';
import type { SafeHtml } from './html';
import { messagePage } from './layout';
import { CONSOLE_PAGES } from './pages';

/** Where the console lives below the handler's base path. */
export const CONSOLE_PATH = '/console';

/**
 * Pages may load only this package's own scripts and styles, talk only to this origin, be framed only by it, and post
 * forms only to it. Template previews get their own, stricter policy (no scripts at all).
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "base-uri 'none'",
].join('; ');

/**
 * A mail's own content shown in an iframe (a template preview, a caught mail): sandboxed (no script, no origin, no
 * forms), its inline styles and images allowed since mails use them, nothing fetched from elsewhere but images.
 */
const SANDBOX_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'self'";

export interface ConsoleOptions {
  readonly authorize: AdminAuthorize;
  readonly basePath: string;
  readonly allowedOrigins: readonly string[];
  readonly jobs: RetryJobs;
}

/**
 * The server-rendered console on the admin handler: `<basePath>/console/…`, every page and form behind the host's
 * `authorize`, every form checked for its CSRF token (and its Origin, when the browser sends one).
 */
export function registerConsole(app: Hono, backend: AdminBackend, options: ConsoleOptions): void {
  const root = `${options.basePath}${CONSOLE_PATH}`;
  app.get(CONSOLE_PATH, (c) => c.redirect(`${root}/mail-server`, 302));
  app.get(`${CONSOLE_PATH}/`, (c) => c.redirect(`${root}/mail-server`, 302));
  app.get(`${CONSOLE_PATH}/assets/:name`, (c) => {
    const asset = CONSOLE_ASSETS[c.req.param('name')];
    if (!asset) return c.text('Not found', 404);
    return new Response(asset.body, {
      headers: { 'content-type': asset.type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' },
    });
  });
  for (const page of CONSOLE_PAGES) {
    app.on(page.method, `${CONSOLE_PATH}${page.path}`, async (c) => {
      const cookies = c.req.header('cookie') ?? null;
      const { token, setCookie } = csrfToken(cookies);
      const headers: Record<string, string> = setCookie ? { 'set-cookie': setCookie } : {};
      try {
        const identity = await identify(c.req.raw, options.authorize);
        const ctx: ConsoleContext = { backend, identity, root, csrf: token, jobs: options.jobs, hono: c };
        if (page.method === 'POST') {
          const form = await c.req.parseBody();
          if (!csrfValid(cookies, form[CSRF_FIELD]) || !originAllowed(c.req.raw, options.allowedOrigins)) {
            return answerHtml(
              403,
              messagePage(
                'Refused',
                'This form did not come from this console (its token is missing or stale). Open the page again and retry.',
              ),
              headers,
            );
          }
        }
        const answer: ConsoleAnswer = await page.handle(ctx);
        if ('redirect' in answer) return new Response(null, { status: 303, headers: { ...headers, location: answer.redirect } });
        if ('response' in answer) return answer.response;
        if ('sandboxed' in answer) return answerSandboxed(answer.status ?? 200, answer.sandboxed, answer.type, headers);
        return answerHtml(answer.status ?? 200, answer.html, headers);
      } catch (error) {
        if (error instanceof AdminHttpError && (error.status === 401 || error.status === 403)) {
          const title = error.status === 401 ? 'Sign in first' : 'Not allowed';
          return answerHtml(error.status, messagePage(title, error.message), headers);
        }
        backend.logger.error('admin console: unexpected error', { err: error, where: `console ${page.method} ${page.path}` });
        return answerHtml(
          500,
          messagePage('Something went wrong', "The console could not show this page; the reason is in Mailroom's log."),
          headers,
        );
      }
    });
  }
}

function answerHtml(status: number, body: SafeHtml, headers: Record<string, string>): Response {
  return new Response(body.text, {
    status,
    headers: {
      ...headers,
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CSP,
      'cache-control': 'no-store',
      'referrer-policy': 'same-origin',
      'x-content-type-options': 'nosniff',
    },
  });
}

function answerSandboxed(status: number, body: string, type: string, headers: Record<string, string>): Response {
  return new Response(body, {
    status,
    headers: {
      ...headers,
      'content-type': `${type}; charset=utf-8`,
      'content-security-policy': SANDBOX_CSP,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    },
  });
}

/** A browser sends Origin with a form post: it must be this host (or one the host allows). */
function originAllowed(request: Request, allowed: readonly string[]): boolean {
  const origin = request.headers.get('origin');
  if (origin === null || origin === 'null') return origin === null;
  return sameOrigin(origin, request, allowed);
}
