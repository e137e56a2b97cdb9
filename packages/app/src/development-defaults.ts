import { ConfigError, type ConfigIssue, type MailroomConfig } from './config';

/**
 * Without `database.url` Mailroom would start an embedded PostgreSQL, without `smtp` a mail catcher that keeps every
 * mail on this machine — both inside the process that asked. Right for `mailroom start` on a laptop; wrong for a host
 * that merely forgot a setting (its mail would silently go nowhere). So both need an explicit opt-in, named by
 * `optIn` (e.g. "createMailroom({ development: true })"); without it this throws a ConfigError naming each setting.
 */
export function refuseDevelopmentDefaults(
  config: MailroomConfig,
  options: { needsDatabaseUrl: boolean; optIn: string; host?: boolean },
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
  if (!config.smtp) {
    issues.push({
      setting: 'smtp.host',
      problem: `is not set; set it to your SMTP server, or ${options.optIn} to start the development mail catcher in this process (it keeps every mail in ${config.catcher.dir} and sends none)`,
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
}
