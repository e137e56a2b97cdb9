import { ContainerModule } from 'inversify';
import { NodemailerMailSender, type SmtpLogLevel, type TokenObserver, type TokenSource } from '@mailroom/adapters';
import type { Log } from '../logging/log';
import { ConfigError, type MailroomConfig, type SmtpConfig } from '../config';
import { smtpNotSet } from '../development-defaults';
import { catcherSmtp } from '../dev-services';
import { CONFIG_SETTING_NAMES } from '../config/smtp-setting-names';
import type { PromClientMetrics } from '../ops/prom-client-metrics';
import { LiveMailSender } from '../settings/live-mail-sender';
import type { RuntimeSettings } from '../settings/runtime-settings';
import type { Resources } from './resources';
import { toSmtpSettings } from './smtp-settings';
import { TOKENS } from './tokens';

/**
 * The SMTP sender (pooled nodemailer; XOAUTH2 tokens from Entra or any token URL); its log lines go to the app's logger.
 * `tokenSource`: a previous sender's, kept when only other settings changed; `tokenObserver` counts a new token source's
 * requests (the metrics). The caller closes it.
 */
export function smtpSender(smtp: SmtpConfig, logger: Log, tokenSource?: TokenSource, tokenObserver?: TokenObserver): NodemailerMailSender {
  const smtpLogger = logger.child({ component: 'smtp' });
  // nodemailer's connection chatter is debug for us; one line per settled mail comes from the worker.
  const ours = (level: SmtpLogLevel) => (level === 'info' ? 'debug' : level);
  return new NodemailerMailSender(toSmtpSettings(smtp), {
    names: CONFIG_SETTING_NAMES,
    ...(tokenSource ? { tokenSource } : {}),
    ...(tokenObserver ? { tokenEnvironment: { observer: tokenObserver } } : {}),
    log: {
      write: (level: SmtpLogLevel, message: string, fields?: Readonly<Record<string, unknown>>) => smtpLogger[ours(level)](message, fields),
      enabled: (level: SmtpLogLevel) => smtpLogger.enabled(ours(level)),
    },
  });
}

export interface SmtpModuleOptions {
  /** Without SMTP settings (development only): start the catcher in this process even if another process runs one. */
  readonly startCatcher?: boolean;
  /** Not development: without an SMTP server, stored settings included, refuse to start, naming this opt-in. */
  readonly refuseCatcher?: string;
}

/**
 * The SMTP server and the sender. Bindings only: the pool (and, in development, the catcher) opens when first
 * resolved, after a host's `configure`.
 */
export function smtpModule(config: MailroomConfig, options: SmtpModuleOptions, resources: Resources, logger: Log): ContainerModule {
  return new ContainerModule(({ bind }) => {
    // The stored settings count: an admin may have saved the server. Without any, the catcher (development only).
    bind(TOKENS.SmtpConfig)
      .toResolvedValue(
        async (runtime: RuntimeSettings) => {
          if (runtime.config.smtp) return runtime.config.smtp;
          if (options.refuseCatcher !== undefined) throw new ConfigError([smtpNotSet(runtime.config, options.refuseCatcher)]);
          return (await catcherSmtp(config, resources, logger, options.startCatcher ?? true)).smtp;
        },
        [TOKENS.RuntimeSettings],
      )
      .inSingletonScope();
    bind(TOKENS.MailSender)
      .toResolvedValue(
        (smtp: SmtpConfig | undefined, metrics: PromClientMetrics) => {
          const sender = new LiveMailSender(smtpSender(smtp!, logger, undefined, metrics.tokenObserver));
          resources.add('SMTP pool', () => sender.close());
          return sender;
        },
        [TOKENS.SmtpConfig, TOKENS.Metrics],
      )
      .inSingletonScope();
  });
}
