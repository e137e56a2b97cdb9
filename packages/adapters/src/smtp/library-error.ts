import { redact } from '../secrets/redact';

// Commands worth keeping on an error: the verb says where the session failed. Anything else nodemailer
// puts in `command` is what it sent, and after AUTH that is the base64 of the credentials.
const SMTP_VERBS = /^(EHLO|HELO|LHLO|STARTTLS|AUTH|MAIL|RCPT|DATA|BDAT|RSET|QUIT|NOOP|CONN|API|MESSAGE)$/i;

/**
 * What Mailroom keeps of a nodemailer or socket error as the `cause` of its own errors: the codes, the
 * server's reply and the library's message, scrubbed of secrets, plus its stack frames. Never the raw
 * error: nodemailer keeps the last command sent (`err.command`, and our SASL failures kept the reply to
 * it with `command`), which after a failed AUTH is the base64 of the password or token — and a host
 * logging `util.inspect(err)` prints every level of it.
 */
export class SmtpLibraryError extends Error {
  override readonly name = 'SmtpLibraryError';
  readonly code?: string;
  readonly originalCode?: string;
  readonly responseCode?: number;
  readonly response?: string;
  /** The SMTP verb in flight (`AUTH PLAIN`, `MAIL FROM`), never its argument. */
  readonly command?: string;

  constructor(error: unknown, secrets: readonly (string | undefined)[]) {
    const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' ? redact(value, secrets) : undefined);
    super(text(e.message) ?? 'unknown error');
    const fields = {
      code: text(e.code),
      originalCode: text(e.originalCode),
      responseCode: typeof e.responseCode === 'number' ? e.responseCode : undefined,
      response: text(e.response),
      command: verbOf(e.command),
    };
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) Object.assign(this, { [key]: value });
    const frames = typeof e.stack === 'string' ? e.stack.split('\n').filter((line) => /^\s+at /.test(line)) : [];
    if (frames.length > 0) this.stack = [`${this.name}: ${this.message}`, ...frames].join('\n');
  }
}

function verbOf(command: unknown): string | undefined {
  if (typeof command !== 'string') return undefined;
  const [verb = '', argument] = command.trim().split(/\s+/);
  if (!SMTP_VERBS.test(verb)) return undefined;
  // `AUTH PLAIN`, `MAIL FROM`, `RCPT TO`: the second word is a keyword, the rest may be a credential.
  return argument !== undefined && /^[A-Z][A-Z0-9-]{0,30}$/.test(argument) ? `${verb} ${argument}` : verb;
}
