import type { SignedUnsubscribeLinks, TokenSource } from '@mailroom/adapters';
import {
  EmailAddress,
  type DeliverDue,
  type MailSender,
  type RetryPolicy,
  type SendDigests,
  type TemplateRenderer,
} from '@mailroom/domain';
import type { Log } from '../logging/log';
import type { MailroomConfig, SmtpConfig } from '../config';
import type { PurgeSchedule } from '../worker/purge-schedule';
import type { LiveMailSender } from './live-mail-sender';
import type { LiveRenderer } from './live-renderer';
import { unsubscribeLinkSettings } from './unsubscribe-key';
import type { LiveSendQuota } from './live-send-quota';
import type { RuntimeSettings } from './runtime-settings';

/**
 * Mails handed to the SMTP pool per pooled connection: one on the wire and the next waiting, so a connection that
 * finishes a mail starts the next at once instead of idling while the worker admits and renders it (the delivery
 * bench's ratio to raw nodemailer went from about 0.78× to 0.86×). A waiting mail is not on the wire: a crash does not
 * send it, so the duplicate bound stays the sends on the wire.
 */
export const SENDS_PER_CONNECTION = 2;

/** Sends in flight for an SMTP pool of this size. */
export function deliveryConcurrency(smtp: SmtpConfig | undefined): number {
  return (smtp?.poolSize ?? 3) * SENDS_PER_CONNECTION;
}

/** The sender, From address as delivery uses it: without `from.name`, the host's product name (or the address alone). */
export function senderAddress(config: MailroomConfig): EmailAddress {
  // An empty product name is an admin clearing the host's: no name then.
  return EmailAddress.parse(config.from.address, config.from.name ?? (config.brand.productName?.trim() || undefined), 'from.address');
}

/** What a new configuration is applied to. The sender and renderer are absent when a host or test replaced them. */
export interface LiveParts {
  readonly runtime: RuntimeSettings;
  readonly logger: Log;
  readonly deliverDue: DeliverDue;
  readonly retry: RetryPolicy;
  readonly digests: SendDigests;
  /** Retention's schedule: new days, interval and batch size for the next purge. */
  readonly purges?: PurgeSchedule;
  readonly quota?: LiveSendQuota;
  readonly sender?: LiveMailSender;
  /** The SMTP server for a configuration (in development without `smtp`, the mail catcher). */
  readonly smtpOf: (config: MailroomConfig) => SmtpConfig | undefined;
  /** A sender for these settings; `tokenSource` is the previous sender's when the OAuth client did not change. */
  readonly buildSender?: (smtp: SmtpConfig, tokenSource: TokenSource | undefined) => MailSender;
  readonly renderer?: LiveRenderer;
  /** The unsubscribe links in mails, pointed at the links in effect (absent without an unsubscribe key). */
  readonly unsubscribeLinks?: SignedUnsubscribeLinks;
  /** Templates for a configuration and the admins' saved templates, checked as at start. */
  readonly buildRenderer: (config: MailroomConfig, stored: Readonly<Record<string, string>>) => Promise<TemplateRenderer>;
  /** What the sender and the renderer in use were built with. */
  readonly builtWith: { readonly smtp: SmtpConfig | undefined; readonly config: MailroomConfig };
  /** How often to read the stored settings when no change notice comes (the worker's poll interval). */
  readonly pollIntervalMs: number;
}

/**
 * Keeps the running parts on the effective configuration: on every change (this node's or, through a change notice
 * or the poll, another node's) a new SMTP transport when the server settings changed (the token cache kept only if
 * the token URL, client id, secret and scope did not change — Keycloak's rule), templates compiled again when links,
 * the subject prefix, the brand or templates changed, and From, concurrency, retry, digest, rate and retention settings for the
 * next run.
 * A change is applied between sends, never to a mail in flight, so it neither loses nor doubles one.
 */
export class LiveSettings {
  private smtpKey: string;
  private rendererKey: string;
  /** What the running parts were last given, per part: a part is reconfigured only when its settings change. */
  private readonly applied: Record<PartName, string>;
  private poll: NodeJS.Timeout | undefined;
  private readonly stopListening: () => void;

  constructor(private readonly parts: LiveParts) {
    this.smtpKey = JSON.stringify(parts.builtWith.smtp ?? null);
    this.rendererKey = rendererKey(parts.builtWith.config, {});
    // As core-module built them: concurrency from the SMTP server in use, the rest from the start configuration.
    this.applied = partKeys(parts.builtWith.config, parts.builtWith.smtp, parts.builtWith.config.smtp?.rateLimitPerMinute);
    this.stopListening = parts.runtime.onChange((next) => this.apply(next));
  }

  /** Brings everything onto the configuration in effect now (at start: the stored settings over the file's). */
  sync(): Promise<void> {
    return this.apply(this.parts.runtime.config);
  }

  /** Reads the stored settings every poll interval as well (a change notice can be missed while reconnecting). */
  watch(): void {
    if (this.poll) return;
    this.poll = setInterval(() => void this.refresh(), this.parts.pollIntervalMs);
    this.poll.unref();
  }

  /** Reads the store now (a change notice came). */
  async refresh(): Promise<void> {
    try {
      await this.parts.runtime.refresh();
    } catch (error) {
      this.parts.logger.debug('reading the stored settings failed; trying again at the next poll', { reason: (error as Error).message });
    }
  }

  close(): void {
    clearInterval(this.poll);
    this.poll = undefined;
    this.stopListening();
  }

  private async apply(config: MailroomConfig): Promise<void> {
    const { parts } = this;
    const smtp = parts.smtpOf(config);
    const changed: string[] = [];
    const smtpKey = JSON.stringify(smtp ?? null);
    if (smtpKey !== this.smtpKey && smtp && parts.sender && parts.buildSender) {
      const before = JSON.parse(this.smtpKey) as SmtpConfig | null;
      const keepTokens = before !== null && oauthClient(before) === oauthClient(smtp);
      const tokenSource = keepTokens ? tokenSourceOf(parts.sender.current) : undefined;
      parts.sender.replace(parts.buildSender(smtp, tokenSource));
      changed.push(keepTokens ? 'SMTP server' : 'SMTP server and token client');
    }
    this.smtpKey = smtpKey;
    const stored = parts.runtime.storedTemplates();
    const key = rendererKey(config, stored);
    if (key !== this.rendererKey && parts.renderer) {
      try {
        parts.renderer.replace(await parts.buildRenderer(config, stored));
        changed.push('templates');
      } catch (error) {
        // Saved templates are checked before they are saved; this is a template that broke later (an upgrade).
        const e = error as { code?: string; message?: string };
        parts.logger.error('templates not rebuilt: mails keep the templates in use until this is fixed', {
          code: e.code,
          reason: e.message,
        });
      }
    }
    this.rendererKey = key;
    // Only what changed: a host that replaced a part's settings keeps them until an admin changes those settings.
    const keys = partKeys(config, smtp, smtp?.rateLimitPerMinute);
    if (keys.delivery !== this.applied.delivery) {
      parts.deliverDue.reconfigure({ from: senderAddress(config), concurrency: deliveryConcurrency(smtp) });
    }
    if (keys.retry !== this.applied.retry) parts.retry.reconfigure(retrySettings(config));
    if (keys.digest !== this.applied.digest) parts.digests.reconfigure(config.digest);
    if (keys.retention !== this.applied.retention) parts.purges?.reconfigure(config.retention);
    if (keys.rate !== this.applied.rate) parts.quota?.reconfigure(smtp?.rateLimitPerMinute);
    parts.unsubscribeLinks?.reconfigure(unsubscribeLinkSettings(config));
    Object.assign(this.applied, keys);
    if (changed.length > 0) parts.logger.info('settings applied', { version: parts.runtime.version, changed });
  }
}

/** The retry policy's settings from the configuration's. */
export function retrySettings(config: MailroomConfig): { initialDelayMs: number; maxDelayMs: number; maxAttempts: number } {
  return {
    initialDelayMs: config.retry.initialDelaySeconds * 1000,
    maxDelayMs: Math.max(config.retry.maxDelaySeconds, config.retry.initialDelaySeconds) * 1000,
    maxAttempts: config.retry.maxAttempts,
  };
}

type PartName = 'delivery' | 'retry' | 'digest' | 'rate' | 'retention';

/** What each part's settings are made of, to tell whether they changed. */
function partKeys(config: MailroomConfig, smtp: SmtpConfig | undefined, rate: number | undefined): Record<PartName, string> {
  return {
    delivery: JSON.stringify([senderAddress(config).toString(), deliveryConcurrency(smtp)]),
    retry: JSON.stringify(config.retry),
    digest: JSON.stringify(config.digest),
    rate: JSON.stringify(rate ?? null),
    retention: JSON.stringify(config.retention),
  };
}

/** What the templates are built from: links (the base and the host's pages), subject prefix, brand, saved templates. */
function rendererKey(config: MailroomConfig, stored: Readonly<Record<string, string>>): string {
  return JSON.stringify([config.links, config.subjectPrefix, config.brand, stored]);
}

/** Who tokens are asked for: a change of any of these drops the cached token. */
function oauthClient(smtp: SmtpConfig): string {
  const auth = smtp.auth;
  return auth.type === 'oauth2' ? JSON.stringify([auth.tokenUrl, auth.clientId, auth.clientSecret, auth.scope, auth.clientAuth]) : '';
}

function tokenSourceOf(sender: MailSender): TokenSource | undefined {
  return (sender as { tokenSource?: TokenSource }).tokenSource;
}
