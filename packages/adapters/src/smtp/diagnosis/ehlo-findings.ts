import type { SmtpSettings } from '../smtp-settings';
import type { StepFailure } from './diagnosis-step';
import { parseEhloReply } from './ehlo-reply';
import type { SettingNames } from './setting-names';

const PASSWORD_MECHANISMS = ['PLAIN', 'LOGIN', 'CRAM-MD5'];

/**
 * What the EHLO reply (after TLS, when there is TLS) means for these settings: the mechanisms and
 * extensions offered, or why the login cannot work with what the server offers.
 */
export function ehloFindings(reply: string, settings: SmtpSettings, names: SettingNames): { detail: string } | StepFailure {
  const ehlo = parseEhloReply(reply);
  const { auth, tls } = settings;
  const startTls =
    tls.mode === 'starttls'
      ? 'STARTTLS in use'
      : tls.mode === 'implicit'
        ? 'TLS from the first byte'
        : ehlo.startTls
          ? `STARTTLS offered but not used (${names.tls} is none)`
          : 'STARTTLS not offered';
  // Worded so no line reads like an AUTH command: the secret scrubber would mask what follows one.
  const offered = ehlo.mechanisms.length ? `login mechanisms ${ehlo.mechanisms.join(', ')}` : 'no login mechanisms';
  const size = ehlo.maxSize === undefined ? '' : `; SIZE ${ehlo.maxSize}`;
  const detail = `${ehlo.server || 'the server'} offers ${offered}; ${startTls}${size}`;
  if (auth.kind === 'none') return { detail };

  const fixPort = `Use the server's submission port (587 with ${names.tls} "starttls"): many servers offer a login only there and only after TLS.`;
  if (ehlo.mechanisms.length === 0) {
    return {
      detail,
      code: 'NO_AUTH',
      cause: `The server offers no authentication on this connection (its EHLO reply lists no AUTH), so the ${auth.kind} login cannot happen.`,
      fix: fixPort,
    };
  }
  if (auth.kind === 'oauth2' && !ehlo.mechanisms.includes('XOAUTH2')) {
    return {
      detail,
      code: 'NO_XOAUTH2',
      cause: `The server does not offer XOAUTH2 (it offers ${ehlo.mechanisms.join(', ')}), so an OAuth2 token cannot be used here.`,
      fix: `For Exchange Online use smtp.office365.com, port 587, ${names.tls} "starttls"; for a server without OAuth2 set ${names.authKind} to direct.`,
    };
  }
  if (auth.kind === 'direct') {
    const wanted = auth.mechanism ?? 'auto';
    const usable =
      wanted === 'auto' ? PASSWORD_MECHANISMS.filter((m) => ehlo.mechanisms.includes(m)) : ehlo.mechanisms.includes(wanted) ? [wanted] : [];
    if (usable.length === 0) {
      return {
        detail,
        code: 'NO_MECHANISM',
        cause: `The server offers ${ehlo.mechanisms.join(', ')}, none of which ${wanted === 'auto' ? 'is a password mechanism Mailroom speaks (PLAIN, LOGIN, CRAM-MD5)' : `is ${wanted}, the configured mechanism`}.`,
        fix:
          wanted === 'auto'
            ? `Use OAuth2 if the server offers XOAUTH2 (${names.authKind} oauth2), or another submission server.`
            : `Set ${names.mechanism} to auto or one of: ${ehlo.mechanisms.join(', ')}.`,
      };
    }
  }
  return { detail };
}
