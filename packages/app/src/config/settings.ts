/**
 * Every setting an admin can give through the environment: its path in the configuration file, the
 * variable, its type, and what the two products Mailroom is embedded in usually call it. The README's
 * configuration reference lists the same table (a test keeps them in step).
 */
export interface SettingDoc {
  readonly path: string;
  readonly env: string;
  readonly type: 'string' | 'int' | 'boolean';
  /** Secrets may also come from a file named by `<env>_FILE`, and are redacted wherever configuration is printed. */
  readonly secret?: boolean;
  readonly alsoCalled?: string;
}

export const SETTINGS: readonly SettingDoc[] = [
  { path: 'database.url', env: 'MAILROOM_DATABASE_URL', type: 'string', secret: true, alsoCalled: 'Database Connection String' },
  { path: 'database.schema', env: 'MAILROOM_DATABASE_SCHEMA', type: 'string' },
  { path: 'database.poolSize', env: 'MAILROOM_DATABASE_POOL_SIZE', type: 'int' },
  { path: 'database.connectTimeoutMs', env: 'MAILROOM_DATABASE_CONNECT_TIMEOUT_MS', type: 'int' },
  { path: 'database.queryTimeoutMs', env: 'MAILROOM_DATABASE_QUERY_TIMEOUT_MS', type: 'int' },
  { path: 'database.embedded.dataDir', env: 'MAILROOM_EMBEDDED_DATA_DIR', type: 'string' },
  { path: 'database.embedded.port', env: 'MAILROOM_EMBEDDED_PORT', type: 'int' },
  { path: 'smtp.host', env: 'MAILROOM_SMTP_HOST', type: 'string', alsoCalled: 'Email Server, SMTP Host' },
  { path: 'smtp.port', env: 'MAILROOM_SMTP_PORT', type: 'int', alsoCalled: 'Email Port, SMTP Port' },
  {
    path: 'smtp.tls',
    env: 'MAILROOM_SMTP_TLS',
    type: 'string',
    alsoCalled: 'Email Use SSL / Use TLS (implicit), Enable StartTLS (starttls)',
  },
  { path: 'smtp.caFile', env: 'MAILROOM_SMTP_CA_FILE', type: 'string', alsoCalled: 'Trusted CA certificate' },
  { path: 'smtp.ca', env: 'MAILROOM_SMTP_CA', type: 'string', alsoCalled: 'Trusted CA certificate (pasted)' },
  { path: 'smtp.servername', env: 'MAILROOM_SMTP_SERVERNAME', type: 'string' },
  { path: 'smtp.poolSize', env: 'MAILROOM_SMTP_POOL_SIZE', type: 'int' },
  { path: 'smtp.rateLimitPerMinute', env: 'MAILROOM_SMTP_RATE_LIMIT_PER_MINUTE', type: 'int', alsoCalled: 'Max Emails per Minute' },
  { path: 'smtp.connectionTimeoutMs', env: 'MAILROOM_SMTP_CONNECTION_TIMEOUT_MS', type: 'int', alsoCalled: 'Email Timeout' },
  { path: 'smtp.socketTimeoutMs', env: 'MAILROOM_SMTP_SOCKET_TIMEOUT_MS', type: 'int' },
  { path: 'smtp.allowInsecureAuth', env: 'MAILROOM_SMTP_ALLOW_INSECURE_AUTH', type: 'boolean' },
  { path: 'smtp.auth.type', env: 'MAILROOM_SMTP_AUTH', type: 'string', alsoCalled: 'Email Authentication Type (None / Direct / OAuth2)' },
  { path: 'smtp.auth.username', env: 'MAILROOM_SMTP_USERNAME', type: 'string', alsoCalled: 'Email User Name, OAuth User' },
  { path: 'smtp.auth.password', env: 'MAILROOM_SMTP_PASSWORD', type: 'string', secret: true, alsoCalled: 'Email Password' },
  { path: 'smtp.auth.mechanism', env: 'MAILROOM_SMTP_MECHANISM', type: 'string' },
  { path: 'smtp.auth.tokenUrl', env: 'MAILROOM_OAUTH_TOKEN_URL', type: 'string', alsoCalled: 'OAuth Authentication URL, Token Endpoint' },
  { path: 'smtp.auth.clientId', env: 'MAILROOM_OAUTH_CLIENT_ID', type: 'string', alsoCalled: 'OAuth Client ID, Application (client) ID' },
  { path: 'smtp.auth.clientSecret', env: 'MAILROOM_OAUTH_CLIENT_SECRET', type: 'string', secret: true, alsoCalled: 'OAuth Client Secret' },
  { path: 'smtp.auth.scope', env: 'MAILROOM_OAUTH_SCOPE', type: 'string', alsoCalled: 'OAuth Scope' },
  { path: 'smtp.auth.clientAuth', env: 'MAILROOM_OAUTH_CLIENT_AUTH', type: 'string' },
  { path: 'from.address', env: 'MAILROOM_FROM_ADDRESS', type: 'string', alsoCalled: 'Email From Address, Sender Address' },
  { path: 'from.name', env: 'MAILROOM_FROM_NAME', type: 'string', alsoCalled: 'Email From Name, Sender Display Name' },
  { path: 'links.baseUrl', env: 'MAILROOM_LINKS_BASE_URL', type: 'string', alsoCalled: 'Application URL, Base URL, Load Balancer URL' },
  { path: 'links.notificationsPath', env: 'MAILROOM_LINKS_NOTIFICATIONS_PATH', type: 'string', alsoCalled: 'Notifications Page' },
  { path: 'links.preferencesPath', env: 'MAILROOM_LINKS_PREFERENCES_PATH', type: 'string', alsoCalled: 'Notification Preferences Page' },
  {
    path: 'links.unsubscribePath',
    env: 'MAILROOM_LINKS_UNSUBSCRIBE_PATH',
    type: 'string',
    alsoCalled: 'Unsubscribe Page',
  },
  { path: 'unsubscribe.key', env: 'MAILROOM_UNSUBSCRIBE_KEY', type: 'string', secret: true },
  { path: 'unsubscribe.validDays', env: 'MAILROOM_UNSUBSCRIBE_VALID_DAYS', type: 'int' },
  { path: 'subjectPrefix', env: 'MAILROOM_SUBJECT_PREFIX', type: 'string', alsoCalled: 'Email Subject Prefix' },
  { path: 'brand.productName', env: 'MAILROOM_BRAND_PRODUCT_NAME', type: 'string', alsoCalled: 'Product Name, Application Name' },
  { path: 'brand.footer', env: 'MAILROOM_BRAND_FOOTER', type: 'string', alsoCalled: 'Email Footer' },
  { path: 'suppression.enabled', env: 'MAILROOM_SUPPRESSION_ENABLED', type: 'boolean', alsoCalled: 'Suppress Invalid Addresses' },
  { path: 'digest.intervalMinutes', env: 'MAILROOM_DIGEST_INTERVAL_MINUTES', type: 'int', alsoCalled: 'Notification Interval' },
  { path: 'digest.maxItems', env: 'MAILROOM_DIGEST_MAX_ITEMS', type: 'int', alsoCalled: 'Max Notifications per Email, Digest Size' },
  { path: 'retry.initialDelaySeconds', env: 'MAILROOM_RETRY_INITIAL_DELAY_SECONDS', type: 'int', alsoCalled: 'Retry Interval' },
  { path: 'retry.maxDelaySeconds', env: 'MAILROOM_RETRY_MAX_DELAY_SECONDS', type: 'int' },
  { path: 'retry.maxAttempts', env: 'MAILROOM_RETRY_MAX_ATTEMPTS', type: 'int', alsoCalled: 'Max Retries' },
  { path: 'retention.days.sent', env: 'MAILROOM_RETENTION_DAYS_SENT', type: 'int', alsoCalled: 'Email History Retention (days)' },
  { path: 'retention.days.digested', env: 'MAILROOM_RETENTION_DAYS_DIGESTED', type: 'int' },
  { path: 'retention.days.skipped', env: 'MAILROOM_RETENTION_DAYS_SKIPPED', type: 'int' },
  { path: 'retention.days.suppressed', env: 'MAILROOM_RETENTION_DAYS_SUPPRESSED', type: 'int' },
  { path: 'retention.days.dead', env: 'MAILROOM_RETENTION_DAYS_DEAD', type: 'int', alsoCalled: 'Failed Email Retention (days)' },
  { path: 'retention.intervalMinutes', env: 'MAILROOM_RETENTION_INTERVAL_MINUTES', type: 'int' },
  { path: 'retention.batchSize', env: 'MAILROOM_RETENTION_BATCH_SIZE', type: 'int' },
  { path: 'retention.pauseMs', env: 'MAILROOM_RETENTION_PAUSE_MS', type: 'int' },
  { path: 'worker.batchSize', env: 'MAILROOM_WORKER_BATCH_SIZE', type: 'int' },
  { path: 'worker.leaseSeconds', env: 'MAILROOM_WORKER_LEASE_SECONDS', type: 'int' },
  { path: 'worker.pollIntervalMs', env: 'MAILROOM_WORKER_POLL_INTERVAL_MS', type: 'int' },
  { path: 'worker.stopDeadlineMs', env: 'MAILROOM_WORKER_STOP_DEADLINE_MS', type: 'int' },
  { path: 'templates.directory', env: 'MAILROOM_TEMPLATES_DIR', type: 'string', alsoCalled: 'Email Template Folder' },
  { path: 'catcher.port', env: 'MAILROOM_CATCHER_PORT', type: 'int' },
  { path: 'catcher.dir', env: 'MAILROOM_CATCHER_DIR', type: 'string' },
  { path: 'admin.listen', env: 'MAILROOM_ADMIN_LISTEN', type: 'string' },
  { path: 'admin.token', env: 'MAILROOM_ADMIN_TOKEN', type: 'string', secret: true },
  { path: 'limits.payloadBytes', env: 'MAILROOM_LIMITS_PAYLOAD_BYTES', type: 'int', alsoCalled: 'Max Notification Size' },
  { path: 'log.level', env: 'MAILROOM_LOG_LEVEL', type: 'string' },
];

/** A setting as messages name it: `smtp.port (MAILROOM_SMTP_PORT)`. */
export function describeSetting(path: string): string {
  const doc = SETTINGS.find((s) => s.path === path);
  return doc ? `${path} (${doc.env})` : path;
}

export const SECRET_PATHS = SETTINGS.filter((s) => s.secret).map((s) => s.path);

/**
 * Settings an admin may change at run time (stored in the database): the mail server, the sender, links, subjects,
 * the brand, the suppression list, digests, retries and retention. Database, worker, log, catcher, limits and the template folder
 * are read at start only.
 */
const RUN_TIME_PREFIXES = ['smtp.', 'from.', 'links.', 'brand.', 'suppression.', 'digest.', 'retry.', 'retention.'];

export function isRunTimeSetting(path: string): boolean {
  return path === 'subjectPrefix' || RUN_TIME_PREFIXES.some((prefix) => path.startsWith(prefix));
}
