import { randomBytes } from 'node:crypto';
import { parseSecretKey, SecretBox, SecretsError, type SealedSecret } from '../../../packages/adapters/src/secrets/secret-box';

const aKey = () => parseSecretKey(randomBytes(32).toString('base64'), 'MAILROOM_SECRET_KEY');
const PASSWORD = 'Sm7p-Passw0rd!ü';

describe('SecretBox (AES-256-GCM, for secrets stored in the database)', () => {
  it('seals and opens a secret; what is stored holds no plaintext and a fresh nonce each time', () => {
    const box = new SecretBox(aKey());
    const a = box.seal(PASSWORD, 'smtp.auth.password');
    const b = box.seal(PASSWORD, 'smtp.auth.password');
    expect(box.open(a, 'smtp.auth.password')).toBe(PASSWORD);
    const stored = JSON.stringify([a, b]);
    expect(stored).not.toContain(PASSWORD);
    expect(stored).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    expect(a.iv).not.toBe(b.iv);
    expect(a.data).not.toBe(b.data);
    expect(a).toMatchObject({ v: 1, kid: box.keyId });
  });

  it('binds a sealed value to its setting: moved to another setting, or altered, it does not open', () => {
    const box = new SecretBox(aKey());
    const sealed = box.seal(PASSWORD, 'smtp.auth.password');
    expect(() => box.open(sealed, 'smtp.auth.clientSecret')).toThrow(expect.objectContaining({ code: 'SECRETS.DECRYPT_FAILED' }));
    const data = Buffer.from(sealed.data, 'base64');
    data[0] = data[0]! ^ 1;
    const altered: SealedSecret = { ...sealed, data: data.toString('base64') };
    expect(() => box.open(altered, 'smtp.auth.password')).toThrow(SecretsError);
  });

  it('rotates keys: values sealed with a previous key open while it is loaded, and say they need sealing again', () => {
    const old = aKey();
    const sealed = new SecretBox(old).seal(PASSWORD, 'smtp.auth.password');
    const rotated = new SecretBox(aKey(), [old]);
    expect(rotated.needsRotation(sealed)).toBe(true);
    expect(rotated.open(sealed, 'smtp.auth.password')).toBe(PASSWORD);
    const again = rotated.seal(rotated.open(sealed, 'smtp.auth.password'), 'smtp.auth.password');
    expect(rotated.needsRotation(again)).toBe(false);
    const error = (() => {
      try {
        new SecretBox(aKey()).open(sealed, 'smtp.auth.password');
      } catch (e) {
        return e as SecretsError;
      }
    })();
    expect(error).toMatchObject({ code: 'SECRETS.KEY_UNKNOWN' });
    expect(error!.message).toContain(old.id);
  });

  it('reads a key as 64 hex digits or base64, and refuses anything else naming the variable, never echoing it', () => {
    const bytes = randomBytes(32);
    expect(parseSecretKey(bytes.toString('hex'), 'X').key.equals(bytes)).toBe(true);
    expect(parseSecretKey(` ${bytes.toString('base64')}\n`, 'X').key.equals(bytes)).toBe(true);
    expect(parseSecretKey(bytes.toString('hex'), 'X').id).toMatch(/^[0-9a-f]{8}$/);
    for (const bad of [
      'short',
      randomBytes(16).toString('base64'),
      randomBytes(33).toString('hex'),
      'not base64 at all but long enough to look like a key.....',
    ]) {
      let error: unknown;
      try {
        parseSecretKey(bad, 'MAILROOM_SECRET_KEY');
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'SECRETS.KEY_INVALID', message: expect.stringContaining('MAILROOM_SECRET_KEY') });
      expect((error as Error).message).not.toContain(bad);
    }
  });
});
