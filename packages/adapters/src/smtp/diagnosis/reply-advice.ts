import type { MailSendError } from '@mailroom/domain';
import { knownReply } from '../exchange-replies';
import type { SmtpAuth } from '../smtp-settings';
import type { StepFailure } from './diagnosis-step';
import { replyCode } from './network-advice';
import type { SettingNames } from './setting-names';

// EXCHANGE.md's checklist, steps 2–5: what a 535 5.7.3 on a token Entra issued usually means.
const EXCHANGE_OAUTH_CHECKLIST = [
  '1. Entra admin center → App registrations → your app → API permissions: "Office 365 Exchange Online" → Application permission SMTP.SendAsApp, and "Grant admin consent".',
  '2. Exchange Online PowerShell: New-ServicePrincipal -AppId <client id> -ObjectId <object id> — the object id of the Enterprise application, not of the App registration.',
  '3. Add-MailboxPermission -Identity <mailbox> -User <that service principal> -AccessRights FullAccess.',
];

/** Why the server refused the login, in an admin's words (Exchange Online first); `tokenProblem` is what the token showed. */
export function authFailure(
  error: MailSendError,
  auth: SmtpAuth,
  names: SettingNames,
  tokenProblem?: { cause: string; fix: string },
): StepFailure {
  const reply = error.response;
  const code = reply === undefined ? error.code : (replyCode(reply) ?? error.code);
  const detail = reply === undefined ? error.message : `AUTH: ${reply}`;
  const user = auth.kind === 'none' ? '' : auth.username;
  switch (error.code) {
    case 'SEND.CONFIGURATION.SMTP_AUTH_DISABLED':
      return {
        detail,
        code,
        cause: `SMTP client authentication (SMTP AUTH) is disabled for the tenant or for the mailbox ${user} (${reply}).`,
        fix: `Enable it for the mailbox: Set-CASMailbox -Identity ${user} -SmtpClientAuthenticationDisabled $false (and for the tenant, if disabled there: Set-TransportConfig -SmtpClientAuthenticationDisabled $false). Changes can take an hour to apply.`,
      };
    case 'SEND.CONFIGURATION.PASSWORD_AUTH_BLOCKED':
      return {
        detail,
        code,
        cause: `The server no longer accepts a password for SMTP (${reply}): basic authentication is retired or blocked by a policy (security defaults, conditional access).`,
        fix: `Switch ${names.authKind} to oauth2: an app registration in Entra with SMTP.SendAsApp, admin consent, the service principal in Exchange and FullAccess on ${user}.`,
      };
    case 'SEND.CONFIGURATION.MAILBOX_LOGON':
      return {
        detail,
        code,
        cause: `The mailbox ${user} cannot be opened for this login (${reply}).`,
        fix: `Check that ${user} exists and has an Exchange Online license, and that the app or user has FullAccess on it (Add-MailboxPermission).`,
      };
  }
  if (error.responseCode !== undefined && error.responseCode < 500) {
    return {
      detail,
      code,
      cause: `The server could not authenticate now (${reply ?? error.message}): a temporary failure.`,
      fix: "Run doctor again in a few minutes; if it persists, ask the mail server's administrator.",
    };
  }
  if (auth.kind === 'oauth2' && tokenProblem !== undefined) {
    // The token itself shows why (read at the token step): more precise than any checklist.
    return {
      detail,
      code,
      cause: `The server refused the OAuth2 token for ${user} (${reply ?? error.message}). ${tokenProblem.cause}`,
      fix: tokenProblem.fix,
    };
  }
  if (auth.kind === 'oauth2') {
    const exchange = error.code === 'SEND.AUTHENTICATION' && error.enhancedCode === '5.7.3';
    return {
      detail,
      code,
      cause: exchange
        ? `Exchange Online refused the OAuth2 token for ${user} (${reply}). The token endpoint issued the token, so the client id and secret are right; an Exchange-side setup step is missing.`
        : `The server refused the OAuth2 token for ${user} (${reply ?? error.message}).`,
      fix: exchange
        ? [
            ...EXCHANGE_OAUTH_CHECKLIST,
            `4. ${names.username} is that mailbox (${user}) and ${names.scope} is https://outlook.office365.com/.default.`,
          ].join('\n')
        : `Check that ${names.username} is the mailbox the app may use, ${names.scope}, and the app's permissions at the provider.`,
    };
  }
  const tried = /\(tried ([^)]+)\)/.exec(error.message)?.[1];
  return {
    detail: tried ? `${detail} (tried ${tried})` : detail,
    code,
    cause: `The server refused the username or password for ${user} (${reply ?? error.message}).`,
    fix: `Check ${names.username} and ${names.password}${auth.kind === 'direct' && (auth.mechanism ?? 'auto') !== 'auto' ? `, and whether the server accepts ${names.mechanism} ${auth.mechanism}` : ''}.`,
  };
}

/** Why the server refused our From in `MAIL FROM`. */
export function mailFromFailure(reply: string, from: string, auth: SmtpAuth, names: SettingNames): StepFailure {
  const code = replyCode(reply);
  const [status, enhanced] = (code ?? '').split(' ');
  const known = knownReply({ responseCode: Number(status), enhancedCode: enhanced, text: reply, command: 'MAIL FROM' });
  const detail = `MAIL FROM:<${from}>: ${reply}`;
  const user = auth.kind === 'none' ? undefined : auth.username;
  if (known?.code === 'SEND.CONFIGURATION.SENDER') {
    return {
      detail,
      code,
      cause: `The server does not let ${user ?? 'this client'} send as ${from} (${reply}): From is not the authenticated mailbox, and it has no SendAs right on ${from}.`,
      fix: user
        ? `Set ${names.from} to ${user}, or grant the right: Add-RecipientPermission -Identity ${from} -Trustee ${user} -AccessRights SendAs (for OAuth2, the trustee is the app's service principal).`
        : `Set ${names.from} to an address this server lets you send from.`,
    };
  }
  if (known?.code === 'SEND.CONFIGURATION.NOT_AUTHENTICATED' || status === '530') {
    return {
      detail,
      code,
      cause: `The server requires authentication before it accepts a sender (${reply}).`,
      fix: `Set ${names.authKind} to direct or oauth2 with the mailbox's credentials.`,
    };
  }
  if (Number(status) < 500) {
    return {
      detail,
      code,
      cause: `The server refused the sender for now (${reply}).`,
      fix: "Run doctor again in a few minutes; if it persists, ask the mail server's administrator.",
    };
  }
  return {
    detail,
    code,
    cause: `The server refused ${from} as sender (${reply}).`,
    fix: `Set ${names.from} to an address the server accepts for ${user ?? 'this client'} (usually the mailbox itself).`,
  };
}
