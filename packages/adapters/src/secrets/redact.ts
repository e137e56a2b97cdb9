const REDACTED = '[redacted]';

// An AUTH command carries the credentials in its argument (PLAIN: base64 of user, password; XOAUTH2: the token).
const AUTH_ARGUMENT = /\b(AUTH\s+[A-Za-z0-9_-]+)\s+(?!\/\*)\S+/gi;
// `Bearer <token>` in an HTTP header or inside a decoded XOAUTH2 string.
const BEARER = /\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Removes secrets from text that may reach a log or an error message: the secrets themselves,
 * their base64 and URL-encoded forms, AUTH arguments and bearer tokens.
 * Secrets shorter than 4 characters are ignored (they would blank out ordinary words).
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(AUTH_ARGUMENT, `$1 ${REDACTED}`).replace(BEARER, `$1 ${REDACTED}`);
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 4) continue;
    const forms = new Set([secret, Buffer.from(secret, 'utf8').toString('base64'), encodeURIComponent(secret)]);
    for (const form of forms) out = out.replace(new RegExp(escapeRegExp(form), 'g'), REDACTED);
  }
  return out;
}
