import type { IncomingMessage, ServerResponse } from 'node:http';
import { UnsubscribeTokenError, type UnsubscribeClaim, type UnsubscribeTokens } from '@mailroom/adapters';
import type { Clock, Unsubscribe } from '@mailroom/domain';
import { Hono, type Context } from 'hono';
import type { Log } from '../logging/log';
import { normalizeBasePath } from '../admin/admin-handler';
import { nodeListener } from '../admin/node-listener';
import type { SafeHtml } from '../console/html';
import { confirmPage, donePage, PUBLIC_PAGE_HEADERS, refusalPage } from './unsubscribe-pages';

/** How a host mounts the public endpoints. */
export interface PublicHandlerOptions {
  /**
   * Where the handler is reached, as the browser sees it, e.g. `/mail`; default: the root. The links in mails point
   * at `links.unsubscribePath` (default `/unsubscribe`): set it to `<basePath>/unsubscribe`.
   */
  readonly basePath?: string;
}

/**
 * The endpoints recipients reach from a mail, without signing in (the signed token is the authority): `fetch` for
 * fetch-style hosts, `listener` for Node ones (`app.use('/mail', handler.listener)`); never calls `next`.
 */
export interface PublicHandler {
  readonly basePath: string;
  readonly fetch: (request: Request) => Promise<Response>;
  readonly listener: (req: IncomingMessage, res: ServerResponse) => void;
}

/** What the public handler works with (a Mailroom gives it). */
export interface PublicBackend {
  /** Undefined when no unsubscribe key is configured: the routes then say so (404). */
  readonly tokens: UnsubscribeTokens | undefined;
  /** The use case, resolved on first use. */
  readonly unsubscribe: () => Promise<Unsubscribe>;
  readonly clock: Clock;
  readonly logger: Log;
  /** The host's preferences page in effect (absolute), if it has one. */
  preferencesUrl(): string | undefined;
}

/** The body RFC 8058 has a mailbox provider POST (form-encoded); the confirmation page's button sends the same. */
const ONE_CLICK = 'One-Click';

/**
 * RFC 8058 one-click unsubscribe: POST `<basePath>/unsubscribe?token=…` with `List-Unsubscribe=One-Click` applies the
 * token (200); GET shows what would stop and a button. A forged token is refused with 400, an expired one with 410,
 * and neither changes anything.
 */
export function publicHandler(backend: PublicBackend, options: PublicHandlerOptions = {}): PublicHandler {
  const basePath = normalizeBasePath(options.basePath, 'publicHandler', '/mail');
  const app = new Hono().basePath(basePath === '' ? '/' : basePath);

  app.get('/unsubscribe', (c) => {
    const claim = verified(c, backend);
    if (claim instanceof Response) return claim;
    const action = `${basePath}/unsubscribe?token=${encodeURIComponent(c.req.query('token') ?? '')}`;
    return answer(200, confirmPage(claim, action, backend.preferencesUrl()));
  });

  app.post('/unsubscribe', async (c) => {
    const claim = verified(c, backend);
    if (claim instanceof Response) return claim;
    if ((await oneClickField(c)) !== ONE_CLICK) {
      return answer(
        400,
        refusalPage(
          'Not a one-click request',
          'An unsubscribe POST carries List-Unsubscribe=One-Click (RFC 8058), form-encoded.',
          undefined,
        ),
      );
    }
    await (await backend.unsubscribe()).apply(claim);
    backend.logger.info('unsubscribed through a one-click link', { userId: claim.userId, kinds: claim.kinds, topic: claim.topic });
    return answer(200, donePage(claim, backend.preferencesUrl()));
  });

  app.notFound(() => answer(404, refusalPage('Not found', 'There is no page here.', undefined)));
  app.onError((error) => {
    backend.logger.error('unsubscribe failed', { reason: error.message });
    return answer(
      500,
      refusalPage('Please try again', 'The unsubscribe could not be saved just now; try the link again in a few minutes.', undefined),
    );
  });

  const fetch = async (request: Request): Promise<Response> => app.fetch(request);
  return { basePath, fetch, listener: nodeListener(fetch) };
}

/** The token's claim, or the refusal to answer with: 404 without a key, 400 missing or forged, 410 expired. */
function verified(c: Context, backend: PublicBackend): UnsubscribeClaim | Response {
  const prefs = backend.preferencesUrl();
  if (!backend.tokens) return answer(404, refusalPage('Not available', 'Unsubscribe links are not enabled here.', prefs));
  const token = c.req.query('token');
  if (token === undefined || token === '')
    return answer(400, refusalPage('Link incomplete', 'This unsubscribe link has no token: use the link in the mail as it is.', prefs));
  try {
    return backend.tokens.verify(token, backend.clock.now());
  } catch (error) {
    if (!(error instanceof UnsubscribeTokenError)) throw error;
    const expired = error.code === 'UNSUBSCRIBE.EXPIRED';
    return answer(expired ? 410 : 400, refusalPage(expired ? 'Link expired' : 'Link not valid', error.message, prefs));
  }
}

/**
 * The `List-Unsubscribe` field of the form body. A host's body parser may have read the body already (Express's
 * `urlencoded()`): the node listener then passes its parsed object on as JSON.
 */
async function oneClickField(c: Context): Promise<string | undefined> {
  const text = await c.req.text();
  if (text.trimStart().startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      const value = parsed['List-Unsubscribe'];
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined; // not the parsed form of a body parser: not a one-click request, answered 400
    }
  }
  return new URLSearchParams(text).get('List-Unsubscribe') ?? undefined;
}

function answer(status: number, body: SafeHtml): Response {
  return new Response(body.text, { status, headers: PUBLIC_PAGE_HEADERS });
}
