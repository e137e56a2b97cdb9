import { inspect } from 'node:util';
import type { SmtpLog } from '../../packages/adapters/src/smtp/smtp-log';

/** An `SmtpLog` that keeps every line, so tests can check none carries a secret. */
export class CapturingSmtpLog implements SmtpLog {
  readonly lines: string[] = [];

  write(level: string, message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.lines.push(`${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  }
}

/** Every text an error exposes: message, hint, response, and the same down its cause chain. */
export function textsOf(error: unknown): string[] {
  const texts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    const e = current as Error & { hint?: string; response?: string };
    texts.push(e.message, e.stack ?? '', e.hint ?? '', e.response ?? '');
    current = e.cause;
  }
  return texts;
}

/** Fails the test if any text contains a secret, raw or base64-encoded. */
export function expectNoSecrets(texts: readonly string[], secrets: readonly string[]): void {
  const leaks: string[] = [];
  for (const secret of secrets) {
    const forms = [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
    for (const text of texts) if (forms.some((f) => text.includes(f))) leaks.push(`${secret.slice(0, 3)}… in: ${text.slice(0, 200)}`);
  }
  expect(leaks).toEqual([]);
}

/**
 * Fails the test if `util.inspect(value, { depth: null })` — what a host's logger prints — shows a secret
 * at any depth: raw, base64 or URL-encoded, or inside any base64 run that decodes to text holding it
 * (an AUTH PLAIN or XOAUTH2 argument embeds the secret among other bytes).
 */
export function expectNothingSecretInspected(value: unknown, secrets: readonly string[]): string {
  const text = inspect(value, { depth: null });
  const decoded = (text.match(/[A-Za-z0-9+/]{12,}={0,2}/g) ?? []).map((run) => Buffer.from(run, 'base64').toString('latin1'));
  const leaks: string[] = [];
  for (const secret of secrets) {
    const forms = [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
    if (forms.some((f) => text.includes(f)) || decoded.some((d) => d.includes(secret))) leaks.push(secret.slice(0, 3));
  }
  // A CRAM-MD5 response is the username and a keyed digest, base64-encoded: the credential proof itself.
  if (decoded.some((d) => /\S+ [0-9a-f]{32}$/.test(d))) leaks.push('CRAM-MD5 response');
  expect(leaks).toEqual([]);
  return text;
}
