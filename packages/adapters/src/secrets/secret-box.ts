import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { MailroomError } from '@mailroom/domain';

/** Codes of the secret box's errors; no message carries a secret or a key. */
export type SecretsErrorCode = 'SECRETS.KEY_INVALID' | 'SECRETS.KEY_UNKNOWN' | 'SECRETS.DECRYPT_FAILED';

/** A secret that cannot be sealed or opened, and why. */
export class SecretsError extends MailroomError {
  override readonly name = 'SecretsError';

  constructor(
    override readonly code: SecretsErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

/** An AES-256 key and its id: the first 8 hex digits of its SHA-256, kept with each sealed value to find the key again. */
export interface SecretKey {
  readonly id: string;
  readonly key: Buffer;
}

/** A sealed secret as stored: JSON-safe, holding no plaintext. */
export interface SealedSecret {
  readonly v: 1;
  /** Which key sealed it. */
  readonly kid: string;
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12; // GCM's recommended nonce size

/**
 * A key from its text form: 32 bytes as 64 hex digits or as base64 (e.g. `openssl rand -base64 32`). `source` names
 * where it came from (the variable) in the error, never the key.
 */
export function parseSecretKey(text: string, source: string): SecretKey {
  const trimmed = text.trim();
  // 32 bytes are 64 hex digits, or 43 base64 characters and one "=".
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/]{43}=?$/.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : Buffer.alloc(0);
  if (key.length !== 32) {
    throw new SecretsError(
      'SECRETS.KEY_INVALID',
      `${source} must hold a 32-byte key as 64 hex digits or base64 (make one with: openssl rand -base64 32).`,
    );
  }
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
}

/**
 * Seals secrets (passwords, client secrets) for storage with AES-256-GCM: a fresh nonce per value, the value's
 * setting path bound as additional data (a sealed password cannot be moved to another setting), and the key's id
 * kept with it, so the key can be rotated: values sealed with a previous key still open while it is loaded, and
 * `needsRotation` says which to seal again.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();

  constructor(
    private readonly current: SecretKey,
    previous: readonly SecretKey[] = [],
  ) {
    for (const k of [current, ...previous]) this.keys.set(k.id, k.key);
  }

  /** The id of the key new values are sealed with. */
  get keyId(): string {
    return this.current.id;
  }

  seal(plaintext: string, context: string): SealedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      v: 1,
      kid: this.current.id,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  /** The plaintext; throws `SECRETS.KEY_UNKNOWN` when its key is not loaded, `SECRETS.DECRYPT_FAILED` when altered or moved. */
  open(sealed: SealedSecret, context: string): string {
    const key = this.keys.get(sealed.kid);
    if (!key) {
      throw new SecretsError(
        'SECRETS.KEY_UNKNOWN',
        `The stored value of ${context} was sealed with key ${sealed.kid}, which is not loaded: give that key as a previous key, or set the value again.`,
      );
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      // GCM's authentication failed: the bytes were altered, or they belong to another setting.
      throw new SecretsError(
        'SECRETS.DECRYPT_FAILED',
        `The stored value of ${context} does not decrypt: it was altered or belongs to another setting; set it again.`,
      );
    }
  }

  /** Sealed with another key than the current one: seal it again (key rotation). */
  needsRotation(sealed: SealedSecret): boolean {
    return sealed.kid !== this.current.id;
  }
}
