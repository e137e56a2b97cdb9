import pino, { type Logger } from 'pino';
import { checkLogLevel } from './config';
import { pinoLog, type Log } from './logging/log';
import { PINO_REDACT_PATHS } from './logging/secret-fields';

/**
 * Structured logs (one JSON line each). Secrets should never reach a log call; these paths are masked
 * anyway, as a second line of defence.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    // An unknown level is a ConfigError naming log.level, not pino's "default level:… must be included in custom levels".
    level: checkLogLevel(level),
    base: { service: 'mailroom' },
    redact: {
      paths: [...PINO_REDACT_PATHS],
      censor: '***',
    },
  };
  // Asynchronous, buffered writes: one write system call per mail would cost more than the rest of its logging.
  // Mailroom.stop() flushes, and pino flushes what is left when the process exits.
  return destination ? pino(options, destination) : pino(options, pino.destination({ dest: 2, sync: false }));
}

/** Mailroom's own logger when the host gives none: pino at `level`, on stderr. */
export function createLog(level: string): Log {
  return pinoLog(createLogger(level));
}
