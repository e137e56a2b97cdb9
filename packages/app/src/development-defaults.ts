import { ConfigError, type ConfigIssue, type MailroomConfig } from './config';

/**
 * Without `database.url` Mailroom would start an embedded PostgreSQL, without `smtp` a mail catcher that keeps every
 * mail on this machine — both inside the process that asked. Right for `mailroom start` on a laptop; wrong for a host
 * that merely forgot a setting (its mail would silently go nowhere). So both need an explicit opt-in, named by
 * `optIn` (e.g. "createMailroom({ development: true })"); without it this throws a ConfigError naming each setting.
 * `smtp: false` leaves the SMTP check to later, when the stored settings (which may name the server) have been read
 * (unless the database is missing too).
 */
export function refuseDevelopmentDefaults(
  config: MailroomConfig,
  options: { needsDatabaseUrl: boolean; optIn: string; host?: boolean; smtp?: boolean },
): void {
  const issues: ConfigIssue[] = [];
  if (options.needsDatabaseUrl && !config.database.url) {
    issues.push({
      setting: 'database.url',
      problem:
        `is not set; set it to your PostgreSQL, e.g. postgres://user:password@db.example.com:5432/app${options.host ? ' (or pass createMailroom({ dataSource }) or ({ pool }))' : ''}, ` +
        `or ${options.optIn} to start an embedded PostgreSQL in this process (data in ${config.database.embedded.dataDir})`,
    });
  }
  // Without a database there are no stored settings to wait for: say both at once.
  if ((options.smtp !== false || issues.length > 0) && !config.smtp) issues.push(smtpNotSet(config, options.optIn));
  if (issues.length > 0) throw new ConfigError(issues);
}

/** No SMTP server in the configuration, stored settings included: how to give one. */
export function smtpNotSet(config: MailroomConfig, optIn: string): ConfigIssue {
  return {
    setting: 'smtp.host',
    problem:
      `is not set; set it to your SMTP server (or save it at run time: mailroom settings set smtp.host <server>, or the admin API), ` +
      `or ${optIn} to start the development mail catcher in this process (it keeps every mail in ${config.catcher.dir} and sends none)`,
  };
}
