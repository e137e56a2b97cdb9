import { SMTP_SETTING_NAMES, type SettingNames } from './diagnosis/setting-names';

export interface TlsProblem {
  readonly what: string;
  readonly hint: string;
}

interface TlsRule {
  readonly pattern: RegExp;
  readonly what: string;
  /** Names the setting to change, as the caller's admins know it. */
  readonly hint: (names: SettingNames) => string;
}

// Node's TLS errors, by code or by message: nodemailer keeps only the message for STARTTLS failures.
const RULES: readonly TlsRule[] = [
  {
    pattern: /ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate|altnames/i,
    what: 'the server certificate does not match the host name',
    hint: (n) => `Set ${n.host} to a name the certificate lists, or set ${n.servername} to the name in the certificate.`,
  },
  {
    pattern: /CERT_HAS_EXPIRED|certificate has expired|CERT_NOT_YET_VALID/i,
    what: 'the server certificate has expired or is not yet valid',
    hint: () => "Ask the mail server's administrator to renew its certificate (or check this machine's clock).",
  },
  {
    pattern:
      /SELF_SIGNED|self[- ]signed|UNABLE_TO_VERIFY|unable to verify|UNABLE_TO_GET_ISSUER|unable to get (local )?issuer|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE/i,
    what: 'the server certificate is not trusted (its issuer is not a known CA)',
    hint: (n) => `Put the PEM certificate of the CA that issued the server certificate (a company CA, a TLS-inspecting proxy) in ${n.ca}.`,
  },
  {
    pattern:
      /wrong version number|packet length too long|unknown protocol|WRONG_VERSION_NUMBER|http request|unexpected eof|ECONNRESET.*TLS/i,
    what: 'the server does not speak TLS the way the TLS mode expects on this port',
    hint: (n) => `Set ${n.tls} to "implicit" for port 465 and "starttls" for port 587 (or 25).`,
  },
  {
    pattern: /STARTTLS/i,
    what: 'the server did not accept STARTTLS',
    hint: (n) =>
      `Set ${n.port} to one where the server offers STARTTLS (587), or ${n.tls} to "implicit" on 465; "none" is only for a local relay.`,
  },
];

/** What went wrong with TLS, in an admin's words, or undefined when the error is not about TLS. */
export function tlsProblem(
  error: { code?: string; originalCode?: string; message?: string },
  names: SettingNames = SMTP_SETTING_NAMES,
): TlsProblem | undefined {
  const haystack = [error.originalCode, error.code, error.message].filter(Boolean).join(' ');
  const rule = RULES.find((r) => r.pattern.test(haystack));
  if (rule) return { what: rule.what, hint: rule.hint(names) };
  if (error.code === 'ETLS') return { what: 'TLS could not be negotiated', hint: `Check ${names.tls}, ${names.port} and ${names.ca}.` };
  return undefined;
}
