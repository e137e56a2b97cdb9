import { ContainerModule } from 'inversify';
import { NodemailerMailSender, type SmtpLogLevel } from '@mailroom/adapters';
import type { Logger } from 'pino';
import type { SmtpConfig } from '../config';
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
      write: (level: SmtpLogLevel, message: string, fields?: Readonly<Record<string, unknown>>) => smtpLogger[ours(level)]({ ...fields }, message),
      enabled: (level: SmtpLogLevel) => smtpLogger.isLevelEnabled(ours(level)),
    },
  });
  resources.add('SMTP pool', () => sender.close());
  return sender;
}

export function smtpModule(smtp: SmtpConfig, resources: Resources, logger: Logger): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.MailSender).toConstantValue(smtpSender(smtp, resources, logger));
  });
}
