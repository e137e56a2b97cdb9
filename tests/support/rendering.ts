import { KNOWN_KINDS, pendingNotification, type DigestItem, type DigestPayload, type Notification, type Recipient } from '@mailroom/domain';
import { aRecipient as aRecipientOf } from './mothers';
import { FULL_PAYLOADS } from './payloads';

/** Builders and readers for rendering tests: recipients, notifications, digests; links in rendered mails. */

/** The recipient of rendering tests: Ada Lovelace <ada@example.com>, from the one recipient mother. */
export function aRecipient(overrides: { name?: string | undefined; address?: string; timeZone?: string; locale?: string } = {}): Recipient {
  return aRecipientOf({ userId: 'u-1', address: 'ada@example.com', ...overrides });
}

export function aNotification(kind: string, payload: object, recipient: Recipient = aRecipient()): Notification {
  return pendingNotification({
    id: `n-${kind}`,
    kind,
    recipient,
    payload: payload as Record<string, unknown>,
    delivery: 'immediate',
    createdAt: new Date('2026-12-01T09:00:00Z'),
  });
}

export function aDigestItem(kind: string, payload: object, createdAt = '2026-12-01T08:30:00Z'): DigestItem {
  return { id: `item-${kind}-${createdAt}`, kind, payload: payload as Record<string, unknown>, createdAt };
}

/** A digest listing one item of every built-in kind, in the order they happened (as digests list them). */
export function aDigest(overrides: Partial<DigestPayload> = {}): DigestPayload {
  const items =
    overrides.items ??
    KNOWN_KINDS.map((kind, i) => aDigestItem(kind, FULL_PAYLOADS[kind](), `2026-12-01T08:${String(40 + i).padStart(2, '0')}:00Z`));
  const moreCount = overrides.moreCount ?? 0;
  return {
    periodStart: '2026-12-01T08:00:00Z',
    periodEnd: '2026-12-01T09:00:00Z',
    items,
    totalCount: items.length + moreCount,
    moreCount,
    ...overrides,
  };
}

/** Every `href` in an HTML mail, entities decoded. */
export function hrefsOf(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => decodeEntities(m[1]!));
}

/** Every http(s) URL in a text mail. */
export function urlsOf(text: string): string[] {
  return [...text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
}

/** The visible text of an HTML mail's body, roughly: tags removed, entities decoded, white space collapsed. */
export function visibleText(html: string): string {
  const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1] ?? html;
  return decodeEntities(body.replace(/<!--[\s\S]*?-->/g, ' ').replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

export function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
