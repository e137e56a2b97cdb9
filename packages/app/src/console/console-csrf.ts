import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie and the form field of the console's CSRF token. */
export const CSRF_COOKIE = 'mailroom_csrf';
export const CSRF_FIELD = '_csrf';

/**
 * Double-submit token for the console's forms: a random value in a `SameSite=Strict; HttpOnly` cookie, repeated in
 * every form. A form posted from another site carries neither the cookie (SameSite) nor can it read the value to
 * repeat it; it works across nodes behind a load balancer, since nothing is kept on the server.
 */
export function csrfToken(cookieHeader: string | null): { token: string; setCookie?: string } {
  const existing = cookieValue(cookieHeader, CSRF_COOKIE);
  if (existing !== undefined && /^[A-Za-z0-9_-]{32,}$/.test(existing)) return { token: existing };
  const token = randomBytes(24).toString('base64url');
  return { token, setCookie: `${CSRF_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict` };
}

/** Whether a posted form repeats the cookie's token. */
export function csrfValid(cookieHeader: string | null, posted: unknown): boolean {
  const cookie = cookieValue(cookieHeader, CSRF_COOKIE);
  if (cookie === undefined || typeof posted !== 'string' || posted.length !== cookie.length) return false;
  return timingSafeEqual(Buffer.from(cookie), Buffer.from(posted));
}

/** One cookie's value from a `Cookie` header. */
export function cookieValue(header: string | null | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
