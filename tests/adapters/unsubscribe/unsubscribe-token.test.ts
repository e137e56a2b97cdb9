import { randomBytes } from 'node:crypto';
import { deriveUnsubscribeKey, ManualClock, SignedUnsubscribeLinks, UnsubscribeTokenError, UnsubscribeTokens } from '@mailroom/adapters';
import type { UnsubscribeScope } from '@mailroom/domain';

const KEY = randomBytes(32);
const NOW = new Date('2026-01-05T09:00:00.000Z');
const LATER = new Date('2026-03-06T09:00:00.000Z');
const ADA: UnsubscribeScope = { userId: 'ada', address: 'ada@example.com', kinds: ['import-failed'] };

function refusal(f: () => unknown): UnsubscribeTokenError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(UnsubscribeTokenError);
    return error as UnsubscribeTokenError;
  }
  throw new Error('the token was accepted');
}

/** The token with its fields part replaced, the signature kept: what an attacker can make without the key. */
function withFields(token: string, change: (body: Record<string, unknown>) => void): string {
  const [fields, signature] = token.split('.') as [string, string];
  const body = JSON.parse(Buffer.from(fields, 'base64url').toString()) as Record<string, unknown>;
  change(body);
  return `${Buffer.from(JSON.stringify(body)).toString('base64url')}.${signature}`;
}

describe('UnsubscribeTokens: signed one-click unsubscribe tokens', () => {
  const tokens = new UnsubscribeTokens(KEY);

  it('verifies what it signed, without a lookup: recipient, kinds or topic, expiry', () => {
    expect(tokens.verify(tokens.sign(ADA, LATER), NOW)).toEqual({ ...ADA, expiresAt: LATER });
    const topic = { userId: 'ada', address: 'ada@example.com', kinds: ['query-results-changed'], topic: 'query:42' };
    expect(tokens.verify(tokens.sign(topic, LATER), NOW)).toEqual({ ...topic, expiresAt: LATER });
    // A second instance with the same key (another node) accepts it too.
    expect(new UnsubscribeTokens(Buffer.from(KEY)).verify(tokens.sign(ADA, LATER), NOW).userId).toBe('ada');
  });

  it('is compact and URL-safe, and holds neither the key nor anything but the signed fields', () => {
    const token = tokens.sign(ADA, LATER);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(token.length).toBeLessThan(200);
    expect(token).not.toContain(KEY.toString('base64url'));
    const fields = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as object;
    expect(Object.keys(fields).sort()).toEqual(['a', 'k', 'u', 'v', 'x']);
  });

  it('refuses a token signed with another key as forged', () => {
    const other = new UnsubscribeTokens(randomBytes(32)).sign(ADA, LATER);
    expect(refusal(() => tokens.verify(other, NOW)).code).toBe('UNSUBSCRIBE.FORGED');
  });

  it('refuses an altered token as forged: another user, another kind, a topic added, a later expiry', () => {
    const token = tokens.sign(ADA, LATER);
    for (const change of [
      (b: Record<string, unknown>) => (b['u'] = 'grace'),
      (b: Record<string, unknown>) => (b['k'] = ['user-invite']),
      (b: Record<string, unknown>) => (b['t'] = 'query:1'),
      (b: Record<string, unknown>) => (b['x'] = (b['x'] as number) + 86_400),
    ]) {
      expect(refusal(() => tokens.verify(withFields(token, change), NOW)).code).toBe('UNSUBSCRIBE.FORGED');
    }
  });

  it('refuses a cut, padded or malformed token as forged', () => {
    const token = tokens.sign(ADA, LATER);
    for (const bad of [
      token.slice(0, -1),
      `${token}A`,
      token.split('.')[0]!,
      `${token}.x`,
      '',
      '..',
      'not a token',
      token.replace('.', ''),
    ]) {
      expect(refusal(() => tokens.verify(bad, NOW)).code).toBe('UNSUBSCRIBE.FORGED');
    }
  });

  it('refuses an expired token with its expiry, and says what to do', () => {
    const token = tokens.sign(ADA, NOW);
    const error = refusal(() => tokens.verify(token, LATER));
    expect(error.code).toBe('UNSUBSCRIBE.EXPIRED');
    expect(error.expiredAt).toEqual(NOW);
    expect(error.message).toMatch(/expired on 2026-01-05.*newer mail or the preferences page/);
  });

  it('refuses keys shorter than 32 bytes', () => {
    expect(() => new UnsubscribeTokens(randomBytes(16))).toThrow(/at least 32 bytes/);
  });
});

describe('deriveUnsubscribeKey', () => {
  it('derives the same key from the same secret key on every node, and never the secret key itself', () => {
    const secret = randomBytes(32);
    expect(deriveUnsubscribeKey(Buffer.from(secret))).toEqual(deriveUnsubscribeKey(secret));
    expect(deriveUnsubscribeKey(secret)).toHaveLength(32);
    expect(deriveUnsubscribeKey(secret).equals(secret)).toBe(false);
    expect(deriveUnsubscribeKey(randomBytes(32)).equals(deriveUnsubscribeKey(secret))).toBe(false);
  });
});

describe('SignedUnsubscribeLinks: the RFC 8058 headers', () => {
  it('puts an HTTPS link on the base URL (its path prefix kept) and the one-click POST header', () => {
    const tokens = new UnsubscribeTokens(KEY);
    const clock = new ManualClock(NOW.toISOString());
    const links = new SignedUnsubscribeLinks(tokens, clock, {
      baseUrl: 'https://lb.example.com/idm/',
      path: '/mail/unsubscribe',
      validDays: 60,
    });
    const headers = links.headersFor(ADA);
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const url = /^<(.+)>$/.exec(headers['List-Unsubscribe']!)![1]!;
    expect(url).toMatch(/^https:\/\/lb\.example\.com\/idm\/mail\/unsubscribe\?token=[A-Za-z0-9_.-]+$/);
    const claim = tokens.verify(new URL(url).searchParams.get('token')!, NOW);
    expect(claim).toEqual({ ...ADA, expiresAt: new Date(NOW.getTime() + 60 * 86_400_000) });

    links.reconfigure({ baseUrl: 'https://idm.example.com/', path: '/unsubscribe', validDays: 1 });
    expect(links.headersFor(ADA)['List-Unsubscribe']).toMatch(/^<https:\/\/idm\.example\.com\/unsubscribe\?token=/);
  });
});
