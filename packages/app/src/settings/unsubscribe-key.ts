import { deriveUnsubscribeKey, parseSecretKey, UnsubscribeTokens, type UnsubscribeLinkSettings } from '@mailroom/adapters';
import { describeSetting, type MailroomConfig } from '../config';

/** Where the public handler's unsubscribe route is, unless `links.unsubscribePath` says otherwise. */
export const UNSUBSCRIBE_PATH_DEFAULT = '/unsubscribe';

/**
 * The key that signs unsubscribe links: `unsubscribe.key` when set, else one derived (HKDF) from the secret key
 * (MAILROOM_SECRET_KEY), which every node already shares; undefined without either (mails then carry no link). Keys
 * derived from the previous secret keys (MAILROOM_SECRET_KEY_PREVIOUS) still verify: rotating the secret key does not
 * break the links in mails already sent.
 */
export function unsubscribeTokens(
  config: MailroomConfig,
  secretKeys: { readonly current?: Buffer; readonly previous?: readonly Buffer[] },
): UnsubscribeTokens | undefined {
  const text = config.unsubscribe.key;
  if (text !== undefined) return new UnsubscribeTokens(parseSecretKey(text, describeSetting('unsubscribe.key')).key);
  if (secretKeys.current === undefined) return undefined;
  return new UnsubscribeTokens(deriveUnsubscribeKey(secretKeys.current), (secretKeys.previous ?? []).map(deriveUnsubscribeKey));
}

/** Where the links point and how long they work, from the configuration in effect. */
export function unsubscribeLinkSettings(config: MailroomConfig): UnsubscribeLinkSettings {
  return {
    baseUrl: config.links.baseUrl,
    path: config.links.unsubscribePath ?? UNSUBSCRIBE_PATH_DEFAULT,
    validDays: config.unsubscribe.validDays,
  };
}
