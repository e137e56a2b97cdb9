import type { TokenSource } from '../oauth/token-source';
import type { SaslHandlers } from './nodemailer-options';
import { PasswordLogin } from './password-login';
import type { SmtpAuth } from './smtp-settings';
import { XOAuth2Login } from './xoauth2-login';

/**
 * Mailroom's SASL handlers for an auth setting: the mechanism logic that sending and `doctor` share.
 * `tokens` is required for OAuth2 (the caller decides where tokens come from and which it remembers).
 */
export function saslHandlersFor(auth: SmtpAuth, tokens?: TokenSource): SaslHandlers {
  if (auth.kind === 'direct') return { password: new PasswordLogin(auth.username, auth.password).handler };
  if (auth.kind === 'oauth2' && tokens !== undefined) return { xoauth2: new XOAuth2Login(auth.username, tokens).handler };
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
