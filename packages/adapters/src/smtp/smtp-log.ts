import { format } from 'node:util';
import type { ExternalLogger } from 'nodemailer/lib/shared';
import { redact } from '../secrets/redact';

/** The levels of the SMTP adapter's log lines. */
export type SmtpLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where the SMTP adapter's log lines go (the app wires its logger here). Lines are already scrubbed of secrets. */
export interface SmtpLog {
  write(level: SmtpLogLevel, message: string, fields?: Readonly<Record<string, unknown>>): void;
  /** Whether lines of `level` are kept; those that are not are never formatted nor scrubbed. Default: all are. */
  enabled?(level: SmtpLogLevel): boolean;
}

const LEVELS: Record<string, SmtpLogLevel> = { trace: 'debug', debug: 'debug', info: 'info', warn: 'warn', error: 'error', fatal: 'error' };

/** nodemailer's bunyan-style logger, feeding an `SmtpLog` with every line redacted. */
export function nodemailerLogger(log: SmtpLog, secrets: () => readonly (string | undefined)[]): ExternalLogger {
  const logger: ExternalLogger = {};
  for (const [name, level] of Object.entries(LEVELS)) {
    logger[name] = (data: unknown, message?: unknown, ...args: unknown[]) => {
      // nodemailer logs several lines per mail; formatting and scrubbing them cost more than a dropped line should.
      if (log.enabled?.(level) === false) return;
      // bunyan style: an optional fields object first, then a printf-style message.
      const hasFields = typeof data === 'object' && data !== null && !(data instanceof Error);
      const text = hasFields ? format(message ?? '', ...args) : format(data, message ?? '', ...args).trimEnd();
      const fields = hasFields ? pickFields(data as Record<string, unknown>) : undefined;
      log.write(level, redact(text, secrets()), fields);
    };
  }
  return logger;
}

// Only plain descriptive fields: nodemailer puts the username and sometimes more in its log data.
function pickFields(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['tnx', 'cid', 'action', 'method', 'messageId']) if (data[key] !== undefined) out[key] = data[key];
  return out;
}
