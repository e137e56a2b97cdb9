/** What a log line carries besides its message: plain data, by name. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The logger a host may give `createMailroom({ logger })`: four level methods taking a message and its fields, as
 * console, winston, log4js and most loggers take them. Mailroom calls nothing else on it — no `child`, `flush` or
 * level check — and calls it only at and above `log.level` (default `info`); fields named like secrets are masked
 * before they reach it. A pino logger is recognised and used as pino (fields merged into its JSON line).
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}
