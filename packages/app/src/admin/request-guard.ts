import { AdminHttpError } from './admin-errors';
import { AdminRefusedError, type AdminAuthorize, type AdminIdentity } from './admin-identity';

/** The header a script of the admin's own page sets on every change: a page of another site cannot without a CORS preflight. */
export const ADMIN_REQUEST_HEADER = 'X-Mailroom-Request';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether the method changes something (and so needs the CSRF checks). */
export function changesState(method: string): boolean {
  return STATE_CHANGING.has(method.toUpperCase());
}

/**
 * Cross-site request forgery checks for a request that changes something. A browser sends cookies along with a
 * forged form post or image, never a JSON content type or a custom header without asking first (CORS preflight):
 * so every change must be `Content-Type: application/json`, and — unless it carries a bearer token, which no browser
 * adds on its own — either `X-Mailroom-Request: 1` or an `Origin` of this same host (or one of `allowedOrigins`).
 */
export function checkCsrf(request: Request, allowedOrigins: readonly string[]): void {
  if (!changesState(request.method)) return;
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new AdminHttpError(
      403,
      'ADMIN.CSRF_CONTENT_TYPE',
      `A ${request.method} to the admin API must send Content-Type: application/json (this one sent ${type === '' ? 'none' : JSON.stringify(type)}); ` +
        'send the body as JSON, or {} when there is nothing to send.',
    );
  }
  if (/^bearer\s/i.test(request.headers.get('authorization') ?? '')) return;
  if (request.headers.get(ADMIN_REQUEST_HEADER) === '1') return;
  const origin = request.headers.get('origin');
  if (origin !== null && sameOrigin(origin, request, allowedOrigins)) return;
  throw new AdminHttpError(
    403,
    'ADMIN.CSRF_ORIGIN',
    `A ${request.method} to the admin API must prove it comes from the admin's own page: send the header ${ADMIN_REQUEST_HEADER}: 1 ` +
      `(or an Origin of this host${origin === null ? '' : `, not ${origin}`}), or authenticate with Authorization: Bearer.`,
  );
}

/** Whether `origin` is this request's own host (as the browser used it, behind a proxy too) or one of `allowed`. */
export function sameOrigin(origin: string, request: Request, allowed: readonly string[]): boolean {
  if (allowed.includes(origin)) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  // Behind a proxy the request's own URL may say http://internal-name: the host the browser used is forwarded.
  const forwarded = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  return host === (forwarded || request.headers.get('host') || new URL(request.url).host);
}

/** The caller's identity from the host's hook: 401 without one, 403 when the hook refuses. */
export async function identify(request: Request, authorize: AdminAuthorize): Promise<AdminIdentity> {
  let identity: AdminIdentity | undefined | null;
  try {
    identity = await authorize(request);
  } catch (error) {
    if (error instanceof AdminRefusedError) throw new AdminHttpError(403, error.code, error.message);
    throw error;
  }
  if (identity === undefined || identity === null || typeof identity.id !== 'string' || identity.id === '') {
    throw new AdminHttpError(
      401,
      'ADMIN.UNAUTHENTICATED',
      'This request carries no identity the host accepts for the admin API: sign in to the host application (or send its credentials) and try again.',
    );
  }
  return identity;
}
