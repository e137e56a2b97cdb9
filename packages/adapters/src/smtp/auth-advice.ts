import type { AuthNotOffered } from './auth-offer';
import type { SettingNames } from './diagnosis/setting-names';
import type { SmtpAuth, SmtpTlsMode } from './smtp-settings';

export interface AuthAdvice {
  readonly code: string;
  readonly message: string;
  readonly hint: string;
}

/** Why no login happened although the settings ask for one, and the setting to change. Nothing was sent. */
export function authNotOfferedAdvice(
  error: AuthNotOffered,
  at: string,
  auth: SmtpAuth['kind'] | undefined,
  tls: SmtpTlsMode | undefined,
  names: SettingNames,
): AuthAdvice {
  switch (error.reason) {
    case 'starttls-required':
      return {
        code: 'SEND.CONFIGURATION.STARTTLS_REQUIRED',
        message: `The SMTP server${at} offers a login only after STARTTLS, and this connection has no TLS${tls === 'none' ? ` (${names.tls} is "none")` : ''}: Mailroom sent no credentials.`,
        hint: `The server requires STARTTLS: set ${names.tls} to "starttls".`,
      };
    case 'no-auth':
      return {
        code: 'SEND.CONFIGURATION.NO_AUTH',
        message: `The SMTP server${at} offers no login (its EHLO reply lists no AUTH), so the ${auth ?? 'configured'} login cannot happen: Mailroom sent no credentials.`,
        hint: `Use the server's submission port (587 with ${names.tls} "starttls"), or set ${names.authKind} to "none" if this relay takes mail without a login.`,
      };
    case 'mechanism-not-offered': {
      const offered = error.offered.join(', ');
      if (auth === 'oauth2') {
        return {
          code: 'SEND.CONFIGURATION.AUTH_MECHANISM',
          message: `The SMTP server${at} does not offer XOAUTH2 (it offers ${offered}): an OAuth2 token cannot be used there, and none was sent.`,
          hint: `For Exchange Online use smtp.office365.com, port 587, ${names.tls} "starttls"; for a server without OAuth2 set ${names.authKind} to "direct".`,
        };
      }
      const forced = error.wanted.length === 1;
      return {
        code: 'SEND.CONFIGURATION.AUTH_MECHANISM',
        message: `The SMTP server${at} offers ${offered}, not ${error.wanted.join(', ')}${forced ? ` (${names.mechanism})` : ''}: Mailroom sent no credentials.`,
        hint: forced
          ? `Set ${names.mechanism} to "auto" or one of: ${offered}.`
          : `Mailroom sends passwords with PLAIN, LOGIN or CRAM-MD5; if the server offers XOAUTH2, set ${names.authKind} to "oauth2".`,
      };
    }
  }
}

/** What to check when the server refused the login (5xx), for the auth type in use. */
export function refusedLoginHint(auth: SmtpAuth['kind'] | undefined, names: SettingNames): string {
  if (auth === 'oauth2') {
    return `Check the OAuth2 app settings: ${names.username} is the mailbox the app may send as, ${names.scope}, and the app's permissions at the provider.`;
  }
  if (auth === 'direct') return `Check ${names.username} and ${names.password}.`;
  return `Check ${names.authKind} and its settings.`;
}
