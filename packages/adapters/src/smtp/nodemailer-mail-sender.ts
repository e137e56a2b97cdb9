import type { EmailAddress, MailReceipt, MailSender, OutgoingMail, RejectedRecipient } from '@mailroom/domain';
import { MailSendError } from '@mailroom/domain';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { SMTPPoolSentMessageInfo } from 'nodemailer/lib/smtp-pool';
import { createTokenSource, type TokenSourceEnvironment } from '../oauth/create-token-source';
import type { TokenSource } from '../oauth/token-source';
import { TOKEN_SETTING_NAMES } from '../oauth/token-setting-names';
import { classifySendFailure } from './classify-send-failure';
import type { SettingNames } from './diagnosis/setting-names';
import { toNodemailerOptions, type SaslHandlers } from './nodemailer-options';
import { observedTokenSource, saslHandlersFor } from './sasl-handlers';
import { nodemailerLogger, type SmtpLog } from './smtp-log';
import type { SmtpSettings } from './smtp-settings';

export interface NodemailerMailSenderOptions {
  /** Where XOAUTH2 tokens come from; default: `createTokenSource` for the settings' token URL. */
  readonly tokenSource?: TokenSource;
  /** Passed to the default token source (a proxy-aware fetch, a clock). */
  readonly tokenEnvironment?: TokenSourceEnvironment;
  /** Log lines, scrubbed of secrets. None when unset. */
  readonly log?: SmtpLog;
  /** Also log every SMTP command and reply (AUTH arguments masked). */
  readonly logTraffic?: boolean;
  /** The names the caller's admins know for the settings, used in every error's hint (default: `SmtpSettings` paths). */
  readonly names?: Partial<SettingNames>;
}

// Tokens seen lately, kept only to scrub them from logs and errors.
const REMEMBERED_TOKENS = 4;

/**
 * `MailSender` over SMTP with nodemailer's pooled transport: TLS modes, direct auth with mechanism
 * fallback, XOAUTH2 with refresh-on-535, and every failure classified for delivery.
 */
export class NodemailerMailSender implements MailSender {
  private readonly transport: Mail<SMTPPoolSentMessageInfo> | undefined;
  private readonly unusable: MailSendError | undefined;
  private readonly server: string;
  private readonly tokens: string[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly names: Partial<SettingNames>;
  private tokenSourceInUse: TokenSource | undefined;
  private closed = false;

  constructor(
    private readonly settings: SmtpSettings,
    options: NodemailerMailSenderOptions = {},
  ) {
    this.server = `${settings.host}:${settings.port}`;
    this.names = options.names ?? {};
    let transport: Mail<SMTPPoolSentMessageInfo> | undefined;
    let unusable: MailSendError | undefined;
    try {
      const nodemailerOptions = toNodemailerOptions(settings, this.saslHandlers(options));
      if (options.log) {
        nodemailerOptions.logger = nodemailerLogger(options.log, () => this.secrets());
        nodemailerOptions.transactionLog = options.logTraffic === true;
      }
      transport = nodemailer.createTransport(nodemailerOptions);
    } catch (error) {
      // Refused before connecting; reported by every send and verify so delivery and `doctor` both see it.
      unusable = this.classify(error);
    }
    this.transport = transport;
    this.unusable = unusable;
  }

  /**
   * Where this sender's XOAUTH2 tokens come from (undefined without OAuth2). A sender built for changed settings with
   * the same token URL, client, secret and scope may take it as its `tokenSource`, cached token and all.
   */
  get tokenSource(): TokenSource | undefined {
    return this.tokenSourceInUse;
  }

  async send(mail: OutgoingMail): Promise<MailReceipt> {
    const transport = this.usableTransport();
    const sending = transport.sendMail(toNodemailerMessage(mail));
    this.inFlight.add(sending);
    try {
      const info = await sending;
      return {
        messageId: mail.messageId,
        accepted: info.accepted.map(addressOf),
        rejected: rejectedOf(info),
        response: info.response,
      };
    } catch (error) {
      throw this.classify(error);
    } finally {
      this.inFlight.delete(sending);
    }
  }

  async verify(): Promise<void> {
    const transport = this.usableTransport();
    try {
      await transport.verify();
    } catch (error) {
      throw this.classify(error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    this.transport?.close();
  }

  private usableTransport(): Mail<SMTPPoolSentMessageInfo> {
    if (this.unusable) throw this.unusable;
    if (this.closed || !this.transport) {
      throw new MailSendError('configuration', 'The SMTP mail sender is closed.', { code: 'SEND.CONFIGURATION.CLOSED' });
    }
    return this.transport;
  }

  private saslHandlers(options: NodemailerMailSenderOptions): SaslHandlers {
    const { auth } = this.settings;
    if (auth.kind !== 'oauth2') return saslHandlersFor(auth, undefined, this.settings.clientName);
    const source =
      options.tokenSource ?? createTokenSource(auth, { ...options.tokenEnvironment, names: { ...TOKEN_SETTING_NAMES, ...options.names } });
    this.tokenSourceInUse = source;
    return saslHandlersFor(
      auth,
      observedTokenSource(source, (token) => this.remember(token)),
      this.settings.clientName,
    );
  }

  private remember(token: string): void {
    if (this.tokens.includes(token)) return;
    this.tokens.push(token);
    if (this.tokens.length > REMEMBERED_TOKENS) this.tokens.shift();
  }

  private secrets(): (string | undefined)[] {
    const { auth } = this.settings;
    if (auth.kind === 'direct') return [auth.password];
    if (auth.kind === 'oauth2') return [auth.clientSecret, ...this.tokens];
    return [];
  }

  private classify(error: unknown): MailSendError {
    const { auth, tls } = this.settings;
    return classifySendFailure(error, { server: this.server, secrets: this.secrets(), auth: auth.kind, tls: tls.mode, names: this.names });
  }
}

function toNodemailerMessage(mail: OutgoingMail): Mail.Options {
  const message: Mail.Options = {
    from: toAddress(mail.from),
    to: mail.to.map(toAddress),
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    // Stable per outbox row: a retry after a crash carries the same Message-ID, so receivers can drop the duplicate.
    messageId: `<${mail.messageId}>`,
  };
  if (mail.inReplyTo !== undefined) message.inReplyTo = `<${mail.inReplyTo}>`;
  if (mail.references !== undefined && mail.references.length > 0) message.references = mail.references.map((r) => `<${r}>`);
  if (mail.headers !== undefined) message.headers = { ...mail.headers };
  return message;
}

function toAddress(address: EmailAddress): Mail.Address {
  return { name: address.name ?? '', address: address.address };
}

function addressOf(entry: string | { address?: string }): string {
  return typeof entry === 'string' ? entry : (entry.address ?? '');
}

function rejectedOf(info: SMTPPoolSentMessageInfo): RejectedRecipient[] {
  const errors = info.rejectedErrors ?? [];
  return info.rejected.map((entry) => {
    const address = addressOf(entry);
    const error = errors.find((e) => e.recipient === address);
    const rejected: RejectedRecipient = { address };
    if (error?.responseCode !== undefined) Object.assign(rejected, { responseCode: error.responseCode });
    if (error?.response !== undefined) Object.assign(rejected, { response: error.response });
    return rejected;
  });
}
