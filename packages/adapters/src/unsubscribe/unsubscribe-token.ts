import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { MailroomError, type UnsubscribeScope } from '@mailroom/domain';

/** Why a token was refused: not made with this key (or altered), unreadable, or past its expiry. */
export type UnsubscribeTokenErrorCode = 'UNSUBSCRIBE.FORGED' | 'UNSUBSCRIBE.EXPIRED';

/** A refused unsubscribe token; nothing was changed. The message never holds the token or the key. */
export class UnsubscribeTokenError extends MailroomError {
  override readonly name = 'UnsubscribeTokenError';

  constructor(
    override readonly code: UnsubscribeTokenErrorCode,
    message: string,
    /** For an expired token: when it expired. */
    readonly expiredAt?: Date,
  ) {
    super(code, message);
  }
}

/** A verified token: what it turns off, and until when it was good. */
export interface UnsubscribeClaim extends UnsubscribeScope {
  readonly expiresAt: Date;
}

/** The signed fields, with short names: the token travels in a URL inside a mail header. */
interface Body {
  readonly v: 1;
  readonly u: string;
  readonly a: string;
  readonly k: readonly string[];
  readonly t?: string;
  /** Expiry, in whole seconds since the epoch. */
  readonly x: number;
}

const HKDF_INFO = 'mailroom unsubscribe token v1';

/**
 * The unsubscribe key derived from Mailroom's secret key (HKDF-SHA256 with its own label), so one configured secret
 * serves both and the key that seals stored secrets is never itself used to sign links.
 */
export function deriveUnsubscribeKey(secretKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), HKDF_INFO, 32));
}

/**
 * Signs and checks one-click unsubscribe tokens: `<fields>.<HMAC-SHA256>`, both base64url. The fields (recipient's
 * user id and address, the kinds or topic to turn off, the expiry) are readable but hold no secret; the HMAC makes
 * them unforgeable, so a token is verified without a lookup on any node that has the same key.
 */
export class UnsubscribeTokens {
  /**
   * `key` signs; `previous` keys (after a rotation of the key they come from) still verify the links already sent, until
   * those expire.
   */
  constructor(
    private readonly key: Buffer,
    private readonly previous: readonly Buffer[] = [],
  ) {
    if ([key, ...previous].some((k) => k.length < 32)) {
      throw new MailroomError('UNSUBSCRIBE.KEY_INVALID', 'The unsubscribe key must be at least 32 bytes.');
    }
  }

  sign(scope: UnsubscribeScope, expiresAt: Date): string {
    const body: Body = {
      v: 1,
      u: scope.userId,
      a: scope.address,
      k: scope.kinds,
      ...(scope.topic !== undefined ? { t: scope.topic } : {}),
      x: Math.floor(expiresAt.getTime() / 1000),
    };
    const fields = Buffer.from(JSON.stringify(body)).toString('base64url');
    return `${fields}.${this.mac(fields).toString('base64url')}`;
  }

  /** The token's claim; throws `UNSUBSCRIBE.FORGED` (bad signature, altered or malformed) or `UNSUBSCRIBE.EXPIRED`. */
  verify(token: string, now: Date): UnsubscribeClaim {
    const [fields, signature, extra] = token.split('.');
    if (fields === undefined || signature === undefined || extra !== undefined || !BASE64URL.test(fields) || !BASE64URL.test(signature))
      throw forged();
    const given = Buffer.from(signature, 'base64url');
    const signedBy = (key: Buffer) => {
      const expected = this.mac(fields, key);
      return given.length === expected.length && timingSafeEqual(given, expected);
    };
    if (!signedBy(this.key) && !this.previous.some(signedBy)) throw forged();
    const body = readBody(fields);
    const expiresAt = new Date(body.x * 1000);
    if (expiresAt.getTime() <= now.getTime()) {
      throw new UnsubscribeTokenError(
        'UNSUBSCRIBE.EXPIRED',
        `This unsubscribe link expired on ${expiresAt.toISOString().slice(0, 10)}; use the link in a newer mail or the preferences page.`,
        expiresAt,
      );
    }
    return { userId: body.u, address: body.a, kinds: body.k, ...(body.t !== undefined ? { topic: body.t } : {}), expiresAt };
  }

  private mac(fields: string, key: Buffer = this.key): Buffer {
    return createHmac('sha256', key).update(fields).digest();
  }
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function forged(): UnsubscribeTokenError {
  return new UnsubscribeTokenError(
    'UNSUBSCRIBE.FORGED',
    'This unsubscribe link is not valid (it was altered, cut short, or not made by this application): use the link in the mail as it is.',
  );
}

/** The fields of a token whose signature checked out: still checked, as a key shared with an older version could sign others. */
function readBody(fields: string): Body {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(fields, 'base64url').toString('utf8'));
  } catch {
    throw forged();
  }
  const b = body as Partial<Body>;
  const ok =
    b !== null &&
    typeof b === 'object' &&
    b.v === 1 &&
    typeof b.u === 'string' &&
    typeof b.a === 'string' &&
    Array.isArray(b.k) &&
    b.k.every((k) => typeof k === 'string') &&
    (b.t === undefined || typeof b.t === 'string') &&
    typeof b.x === 'number' &&
    Number.isFinite(b.x);
  if (!ok) throw forged();
  return b as Body;
}
