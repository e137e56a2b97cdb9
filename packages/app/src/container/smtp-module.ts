import { ContainerModule } from 'inversify';
import { NodemailerMailSender, type SmtpLogLevel } from '@mailroom/adapters';
import type { Logger } from 'pino';
import type { MailroomConfig, SmtpConfig } from '../config';
import { catcherSmtp } from '../dev-services';
import { CONFIG_SETTING_NAMES } from '../config/smtp-setting-names';
import type { Resources } from './resources';
import { toSmtpSettings } from './smtp-settings';
import { TOKENS } from './tokens';

/** The SMTP sender (pooled nodemailer; XOAUTH2 tokens from Entra or any token URL); its log lines go to the app's logger. */
export function smtpSender(smtp: SmtpConfig, resources: Resources, logger: Logger): NodemailerMailSender {
  const smtpLogger = logger.child({ component: 'smtp' });
  // nodemailer's connection chatter is debug for us; one line per settled mail comes from the worker.
  const ours = (level: SmtpLogLevel) => (level === 'info' ? 'debug' : level);
  const sender = new NodemailerMailSender(toSmtpSettings(smtp), {
    names: CONFIG_SETTING_NAMES,
    log: {
      write: (level: SmtpLogLevel, message: string, fields?: Readonly<Record<string, unknown>>) =>
        smtpLogger[ours(level)]({ ...fields }, message),
      enabled: (level: SmtpLogLevel) => smtpLogger.isLevelEnabled(ours(level)),
    },
  });
  resources.add('SMTP pool', () => sender.close());
  return sender;
}

export interface SmtpModuleOptions {
  /** Without SMTP settings (development only): start the catcher in this process even if another process runs one. */
  readonly startCatcher?: boolean;
}

/**
 * The SMTP server and the sender. Bindings only: the pool (and, in development, the catcher) opens when first
 * resolved, after a host's `configure`.
 */
export function smtpModule(config: MailroomConfig, options: SmtpModuleOptions, resources: Resources, logger: Logger): ContainerModule {
  return new ContainerModule(({ bind }) => {
    // No SMTP settings get this far only in development (createMailroom refuses them otherwise): the catcher.
    bind(TOKENS.SmtpConfig)
      .toDynamicValue(async () => config.smtp ?? (await catcherSmtp(config, resources, logger, options.startCatcher ?? true)).smtp)
      .inSingletonScope();
    bind(TOKENS.MailSender)
      .toResolvedValue((smtp: SmtpConfig | undefined) => smtpSender(smtp!, resources, logger), [TOKENS.SmtpConfig])
      .inSingletonScope();
  });
}
