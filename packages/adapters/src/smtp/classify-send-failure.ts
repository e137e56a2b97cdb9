import { MailSendError, NO_SUCH_MAILBOX, type SendFailureClass } from '@mailroom/domain';
import { TokenEndpointError } from '../oauth/token-endpoint-error';
import { redact } from '../secrets/redact';
import { authNotOfferedAdvice, refusedLoginHint } from './auth-advice';
import { AuthNotOffered } from './auth-offer';
import { SMTP_SETTING_NAMES, type SettingNames } from './diagnosis/setting-names';
import { knownReply } from './exchange-replies';
import { saysNoSuchMailbox } from './no-such-mailbox';
import { SmtpLibraryError } from './library-error';
import { sentences } from './sentence';
import type { SmtpAuth, SmtpTlsMode } from './smtp-settings';
import { tlsProblem } from './tls-problem';

export interface FailureContext {
  /** `host:port`, named in messages. */
  readonly server?: string;
  /** Removed from every message and reply text. */
  readonly secrets?: readonly (string | undefined)[];
  /** The auth in use: advice names its settings (username and password, or the OAuth2 app's). */
  readonly auth?: SmtpAuth['kind'];
  readonly tls?: SmtpTlsMode;
  /** The names the caller's admins know for the settings (default: the adapter's own). */
  readonly names?: Partial<SettingNames>;
}

/** The fields nodemailer puts on its errors (see nodemailer's lib/errors). */
interface NodemailerErrorShape {
  message?: string;
  code?: string;
  originalCode?: string;
  response?: string;
  responseCode?: number;
  command?: string;
  timeoutType?: string;
  rejectedErrors?: { recipient?: string; response?: string }[];
  cause?: unknown;
}

const TRANSIENT_SOCKET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNABORTED',
]);
const MESSAGE_COMMANDS = /^(MAIL|RCPT|DATA)\b/i;

/**
 * Maps a nodemailer error, socket error or token error to a `MailSendError` with its class, the
 * server's reply code, enhanced status code and text, and a hint. Secrets never reach the result:
 * the library's error is kept as `cause` only as a scrubbed `SmtpLibraryError` (nodemailer's own keeps
 * the AUTH command, the base64 of the credentials).
 */
export function classifySendFailure(error: unknown, context: FailureContext = {}): MailSendError {
  if (error instanceof MailSendError) return error;
  const secrets = context.secrets ?? [];
  const clean = (text: string): string => redact(text, secrets);
  const at = context.server === undefined ? '' : ` (${context.server})`;
  const names: SettingNames = { ...SMTP_SETTING_NAMES, ...context.names };

  const tokenError = findCause(error, TokenEndpointError);
  if (tokenError) {
    const failure: SendFailureClass = tokenError.failure;
    return new MailSendError(failure, clean(tokenError.message), {
      code: failure === 'transient' ? 'SEND.TRANSIENT.TOKEN' : `SEND.${failure.toUpperCase()}.TOKEN`,
      hint: tokenError.hint,
      cause: tokenError,
    });
  }

  const e: NodemailerErrorShape = typeof error === 'object' && error !== null ? error : { message: String(error) };
  const response = e.response === undefined ? undefined : clean(e.response.trim());
  const parsed = response === undefined ? undefined : /^(\d{3})(?:[ -](\d\.\d{1,3}\.\d{1,3}))?/.exec(response);
  const responseCode = e.responseCode ?? (parsed?.[1] === undefined ? undefined : Number(parsed[1]));
  const enhancedCode = parsed?.[2];
  const cause = new SmtpLibraryError(error, secrets);
  const said = clean(e.message ?? 'unknown error');
  const fail = (
    failure: SendFailureClass,
    message: string,
    extra: { code?: string; hint?: string; pauseMs?: number } = {},
  ): MailSendError => new MailSendError(failure, sentences(message, extra.hint), { responseCode, enhancedCode, response, cause, ...extra });

  if (error instanceof AuthNotOffered) {
    // Checked before the reply: the last reply is the EHLO that showed what the server offers.
    const advice = authNotOfferedAdvice(error, at, context.auth, context.tls, names);
    return new MailSendError('configuration', sentences(advice.message, advice.hint), { code: advice.code, hint: advice.hint, cause });
  }

  if (response !== undefined) {
    const known = knownReply({ responseCode, enhancedCode, text: response, command: e.command });
    if (known) {
      return fail(known.failure, `The SMTP server${at} answered: ${response}`, {
        code: known.code,
        hint: known.hint,
        ...(known.pauseMs === undefined ? {} : { pauseMs: known.pauseMs }),
      });
    }
  }

  const tls = tlsProblem(e, names);
  if (tls)
    return fail('configuration', `Could not establish TLS with the SMTP server${at}: ${tls.what} (${said})`, {
      code: 'SEND.CONFIGURATION.TLS',
      hint: tls.hint,
    });

  const systemCode = e.originalCode ?? (e.cause as { code?: string } | undefined)?.code;
  switch (e.code) {
    case 'EAUTH':
      if (responseCode === undefined) {
        return fail('configuration', `SMTP authentication could not start${at}: ${said}`, {
          code: 'SEND.CONFIGURATION.AUTH',
          hint: `Check ${names.authKind} and ${names.tls}: the server must offer AUTH on the connection as configured.`,
        });
      }
      if (responseCode < 500) return fail('transient', `The SMTP server${at} could not authenticate now: ${said}`);
      return fail('authentication', `The SMTP server${at} refused the login: ${said}`, { hint: refusedLoginHint(context.auth, names) });
    case 'ENOAUTH':
      return fail('configuration', `The SMTP server${at} requires authentication: ${said}`, {
        code: 'SEND.CONFIGURATION.AUTH',
        hint: `Set ${names.authKind} to "direct" or "oauth2".`,
      });
    case 'EPROTOCOL':
      // A 4xx greeting (421 busy or closing) is a server saying "later", not a wrong port.
      if (responseCode !== undefined && responseCode >= 400 && responseCode < 500)
        return fail('transient', `The SMTP server${at} is not taking mail now: ${said}`);
      return fail('configuration', `The server${at} does not speak SMTP as expected: ${said}`, {
        code: 'SEND.CONFIGURATION.PROTOCOL',
        hint: `Check ${names.host}, ${names.port} and ${names.tls} ("implicit" on 465, "starttls" on 587).`,
      });
    case 'ECONFIG':
      return fail('configuration', `Invalid SMTP configuration: ${said}`);
    case 'EDNS':
      if (systemCode === 'ENOTFOUND')
        return fail('configuration', `The SMTP host name${at} does not resolve: ${said}`, {
          code: 'SEND.CONFIGURATION.HOST',
          hint: `Check ${names.host}.`,
        });
      return fail('transient', `Could not resolve the SMTP host${at}: ${said}`);
    case 'ETIMEDOUT':
      return fail('transient', `The SMTP server${at} did not answer in time: ${said}`, {
        hint:
          e.timeoutType === 'GREETING_TIMEOUT'
            ? 'If this persists, check the port and TLS mode: a TLS port waits silently for a plain client.'
            : undefined,
      });
  }

  if (responseCode !== undefined) {
    if (responseCode < 500) return fail('transient', `The SMTP server${at} answered with a temporary failure: ${response ?? said}`);
    if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE' || MESSAGE_COMMANDS.test(e.command ?? '')) {
      const recipients = (e.rejectedErrors ?? []).map((r) => `${r.recipient}: ${clean(r.response ?? '')}`).join('; ');
      const deadAddress = saysNoSuchMailbox({ responseCode, enhancedCode, text: response ?? said, command: e.command });
      return fail('permanent', `The SMTP server${at} refused the mail: ${said}${recipients ? ` (${recipients})` : ''}`, {
        ...(deadAddress
          ? { code: NO_SUCH_MAILBOX, hint: 'The mailbox does not exist: the address goes on the suppression list (suppression.enabled).' }
          : {}),
      });
    }
    return fail('configuration', `The SMTP server${at} refused the session: ${said}`);
  }

  if (systemCode !== undefined && TRANSIENT_SOCKET.has(systemCode)) {
    return fail('transient', `Could not talk to the SMTP server${at} (${systemCode}): ${said}`, { code: 'SEND.TRANSIENT.CONNECTION' });
  }
  return fail('transient', `Sending through the SMTP server${at} failed: ${said}`);
}

function findCause<T>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  let current = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (current instanceof type) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
