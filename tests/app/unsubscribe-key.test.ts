import { randomBytes } from 'node:crypto';
import { deriveUnsubscribeKey, UnsubscribeTokens } from '@mailroom/adapters';
import { createTestMailroom } from '@mailroom/app';
import { secretKeysFromEnvironment } from '../../packages/app/src/settings/secret-keys';
import { unsubscribeTokens } from '../../packages/app/src/settings/unsubscribe-key';
import { parseConfig } from '../../packages/app/src/config/load-config';
import { fullPayloads } from '../support/payloads';

/** Sends one optional mail and returns its headers. */
async function headersOfOneMail(options: Parameters<typeof createTestMailroom>[0]): Promise<Readonly<Record<string, string>>> {
  const mailroom = await createTestMailroom(options);
  await mailroom.notify({
    kind: 'import-failed',
    recipient: { userId: 'ada', address: 'ada@example.com' },
    payload: fullPayloads['import-failed'],
  });
  await mailroom.deliver();
  await mailroom.stop();
  return mailroom.sent[0]!.headers ?? {};
}

const tokenIn = (headers: Readonly<Record<string, string>>) =>
  new URL(/^<(.+)>$/.exec(headers['List-Unsubscribe']!)![1]!).searchParams.get('token')!;

describe('the unsubscribe key: which one signs, and no links without one', () => {
  it('without unsubscribe.key or a secret key, mails carry no List-Unsubscribe', async () => {
    const headers = await headersOfOneMail({});
    expect(headers['List-Unsubscribe']).toBeUndefined();
    expect(headers['List-Unsubscribe-Post']).toBeUndefined();
  });

  it('with only the secret key, links are signed with the key derived from it (the same on every node)', async () => {
    const secret = randomBytes(32);
    const headers = await headersOfOneMail({ secretKey: secret.toString('base64') });
    const tokens = new UnsubscribeTokens(deriveUnsubscribeKey(secret));
    expect(tokens.verify(tokenIn(headers), new Date('2026-01-06T00:00:00Z'))).toMatchObject({ userId: 'ada', kinds: ['import-failed'] });
    expect(headers['List-Unsubscribe']).toMatch(/^<http:\/\/localhost:8080\/unsubscribe\?token=/);
  });

  it('after a rotation of the secret key, links signed with the previous one still work (MAILROOM_SECRET_KEY_PREVIOUS)', async () => {
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const sentBefore = tokenIn(await headersOfOneMail({ secretKey: oldKey.toString('base64') }));
    const { config } = parseConfig({ links: { baseUrl: 'https://idm.example.com/' } });
    const at = new Date('2026-01-06T00:00:00Z');
    const rotated = unsubscribeTokens(
      config,
      secretKeysFromEnvironment(
        { MAILROOM_SECRET_KEY: newKey.toString('base64'), MAILROOM_SECRET_KEY_PREVIOUS: oldKey.toString('base64') },
        '/',
      ),
    )!;
    expect(rotated.verify(sentBefore, at)).toMatchObject({ userId: 'ada', kinds: ['import-failed'] });
    // New links are signed with the new key alone; without the previous key the old link is refused as forged.
    const sentAfter = tokenIn(await headersOfOneMail({ secretKey: newKey.toString('base64') }));
    expect(new UnsubscribeTokens(deriveUnsubscribeKey(newKey)).verify(sentAfter, at).userId).toBe('ada');
    const newOnly = unsubscribeTokens(config, secretKeysFromEnvironment({ MAILROOM_SECRET_KEY: newKey.toString('base64') }, '/'))!;
    expect(() => newOnly.verify(sentBefore, at)).toThrow(expect.objectContaining({ code: 'UNSUBSCRIBE.FORGED' }));
  });

  it('unsubscribe.key wins over the secret key', async () => {
    const key = randomBytes(32);
    const headers = await headersOfOneMail({
      secretKey: randomBytes(32).toString('base64'),
      config: { unsubscribe: { key: key.toString('hex') } },
    });
    expect(new UnsubscribeTokens(key).verify(tokenIn(headers), new Date('2026-01-06T00:00:00Z')).userId).toBe('ada');
  });

  it('refuses an unsubscribe.key that is not 32 bytes, naming the setting and not the value', async () => {
    const error = await createTestMailroom({ config: { unsubscribe: { key: 'too-short-and-secret' } } }).catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(/unsubscribe\.key \(MAILROOM_UNSUBSCRIBE_KEY\) must hold a 32-byte key/);
    expect((error as Error).message).not.toContain('too-short-and-secret');
  });
});
