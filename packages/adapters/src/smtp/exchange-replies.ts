import type { SendFailureClass } from '@mailroom/domain';

export interface KnownReply {
  readonly failure: SendFailureClass;
  /** Specific code within the class, e.g. `SEND.CONFIGURATION.SMTP_AUTH_DISABLED`. */
  readonly code: string;
  readonly hint: string;
  /** The server refuses every mail for a while: delivery pauses this long (see `MailSendError.pauseMs`). */
  readonly pauseMs?: number;
}

interface Rule extends KnownReply {
  readonly matches: (reply: { responseCode?: number; enhancedCode?: string; text: string; command?: string }) => boolean;
}

const SENT_ITEMS = /Sent Items|mailbox full|quota/i;

// Exchange Online replies and what an admin must do (docs/exchange-online.md). First match wins.
const RULES: readonly Rule[] = [
  {
    matches: (r) => r.enhancedCode === '5.7.139' && /SmtpClientAuthentication is disabled/i.test(r.text),
    failure: 'configuration',
    code: 'SEND.CONFIGURATION.SMTP_AUTH_DISABLED',
    hint: 'SMTP AUTH is disabled: enable it for the tenant and the mailbox (Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false).',
  },
  {
    matches: (r) => r.enhancedCode === '5.7.139',
    failure: 'configuration',
    code: 'SEND.CONFIGURATION.PASSWORD_AUTH_BLOCKED',
    hint: 'Password authentication is blocked for this mailbox (security defaults or a conditional access policy): use OAuth2.',
  },
  {
    matches: (r) => r.enhancedCode === '5.7.30',
    failure: 'configuration',
    code: 'SEND.CONFIGURATION.PASSWORD_AUTH_BLOCKED',
    hint: 'The server no longer accepts passwords for client submission: switch the SMTP auth to OAuth2.',
  },
  {
    matches: (r) => r.enhancedCode === '5.7.57',
    failure: 'configuration',
    code: 'SEND.CONFIGURATION.NOT_AUTHENTICATED',
    hint: 'The server requires authentication before sending: configure direct or OAuth2 auth, with STARTTLS on port 587.',
  },
  {
    matches: (r) => r.enhancedCode === '5.7.60' || /SendAsDenied/i.test(r.text),
    failure: 'configuration',
    code: 'SEND.CONFIGURATION.SENDER',
    hint: 'The mailbox may not send as this From address: set From to the authenticated mailbox, or grant it SendAs rights on the From address.',
  },
  {
    matches: (r) => r.responseCode === 535 && r.enhancedCode === '5.7.3',
    failure: 'authentication',
    code: 'SEND.AUTHENTICATION',
    hint:
      'Exchange Online refused the credentials. For OAuth2 check: scope https://outlook.office365.com/.default; SMTP.SendAsApp granted with admin consent; ' +
      "the service principal registered in Exchange with the Enterprise application's object id; FullAccess on the mailbox; username = the mailbox.",
  },
  {
    matches: (r) => /STOREDRV/i.test(r.text) && /logon failure/i.test(r.text),
    failure: 'configuration',
    code: 'SEND.CONFIGURATION.MAILBOX_LOGON',
    hint: 'The mailbox cannot be opened for this account: check that it exists, is licensed, and that the app or user has FullAccess on it.',
  },
  {
    // Only 432: `421 4.3.2 Service shutting down` shares the enhanced code and is an ordinary "try later".
    matches: (r) => r.responseCode === 432,
    failure: 'transient',
    code: 'SEND.TRANSIENT.CONNECTION_LIMIT',
    hint: 'Too many concurrent connections to this mailbox (Exchange Online allows 3): lower the pool size.',
  },
  {
    matches: (r) => /SubmissionQuotaExceeded/i.test(r.text),
    failure: 'transient',
    code: 'SEND.TRANSIENT.QUOTA',
    hint: 'The mailbox reached its daily recipient limit (10 000 in Exchange Online); sending resumes when the 24-hour window moves on. Mails wait without spending attempts; one is tried every 15 minutes.',
    // The 24-hour window frees recipients as it moves: a probe every 15 minutes finds out, at one mail's cost.
    pauseMs: 15 * 60_000,
  },
  {
    matches: (r) => r.enhancedCode === '5.2.2' && r.command !== undefined && !/^RCPT/i.test(r.command) && SENT_ITEMS.test(r.text),
    failure: 'configuration',
    code: 'SEND.CONFIGURATION.MAILBOX_FULL',
    hint: 'The sending mailbox is full (every SMTP-sent mail is kept in Sent Items): add a retention policy or empty Sent Items.',
  },
];

/** The known Exchange Online meaning of a reply, if it has one. */
export function knownReply(reply: {
  responseCode?: number;
  enhancedCode?: string;
  text: string;
  command?: string;
}): KnownReply | undefined {
  const rule = RULES.find((r) => r.matches(reply));
  return rule === undefined
    ? undefined
    : { failure: rule.failure, code: rule.code, hint: rule.hint, ...(rule.pauseMs === undefined ? {} : { pauseMs: rule.pauseMs }) };
}
