import type { TokenSource } from '../oauth/token-source';
import { defaultEhloName } from './auth-offer';
import type { SaslHandlers } from './nodemailer-options';
import { PasswordLogin } from './password-login';
import type { SmtpAuth } from './smtp-settings';
import { XOAuth2Login } from './xoauth2-login';

/**
 * Mailroom's SASL handlers for an auth setting: the mechanism logic that sending and `doctor` share.
 * `clientName` is the EHLO name (asked again when a server offers no usable mechanism).
 * `tokens` is required for OAuth2 (the caller decides where tokens come from and which it remembers).
 */
export function saslHandlersFor(auth: SmtpAuth, tokens?: TokenSource, clientName?: string): SaslHandlers {
  const ehloName = clientName ?? defaultEhloName();
  if (auth.kind === 'direct')
    return { password: new PasswordLogin(auth.username, auth.password, auth.mechanism ?? 'auto', ehloName).handler };
  if (auth.kind === 'oauth2' && tokens !== undefined) return { xoauth2: new XOAuth2Login(auth.username, tokens, ehloName).handler };
  return {};
}

/** The same token source, telling `seen` about every token it hands out (so they can be scrubbed from text). */
export function observedTokenSource(source: TokenSource, seen: (accessToken: string) => void): TokenSource {
  return {
    getToken: async (request) => {
      const token = await source.getToken(request);
      seen(token.accessToken);
      return token;
    },
  };
}
