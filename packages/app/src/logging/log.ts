import type { Logger as PinoLogger } from 'pino';
import { checkLogLevel } from '../config';
import type { LogFields, Logger } from './logger';
import { redactFields } from './secret-fields';

/**
 * Mailroom's logger inside: the host's `Logger` methods, and what Mailroom needs on top — a level check (to skip
 * building fields no one reads), child loggers with fields of their own, and a flush before the process exits — kept
 * here so no part of Mailroom calls anything but the four level methods on a host's logger.
 */
export interface Log extends Logger {
  enabled(level: keyof Logger): boolean;
  child(bindings: LogFields): Log;
  /** Writes what is buffered (pino writes asynchronously); nothing to do for a host's logger. */
  flush(): Promise<void>;
}

/** Mailroom's own pino logger (or a host's pino): fields first, as pino takes them; its redaction masks secrets. */
export function pinoLog(pino: PinoLogger): Log {
  return {
    debug: (message, fields) => pino.debug(fields ?? {}, message),
    info: (message, fields) => pino.info(fields ?? {}, message),
    warn: (message, fields) => pino.warn(fields ?? {}, message),
    error: (message, fields) => pino.error(fields ?? {}, message),
    enabled: (level) => pino.isLevelEnabled(level),
    child: (bindings) => pinoLog(pino.child(bindings)),
    flush: () => new Promise<void>((resolve) => pino.flush(() => resolve())),
  };
}

const RANK: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/**
 * A host's logger: called only at and above `level` (`log.level`), with the fields masked as Mailroom's own lines are
 * and a child's bindings merged into them. Only its four level methods are called.
 */
export function hostLog(logger: Logger, level: string, bindings: LogFields = {}, trouble = { told: false }): Log {
  const threshold = RANK[checkLogLevel(level)]!;
  const enabled = (at: keyof Logger) => RANK[at]! >= threshold;
  const write = (at: keyof Logger) => (message: string, fields?: LogFields) => {
    if (!enabled(at)) return;
    try {
      logger[at](message, redactFields({ ...bindings, ...fields }));
    } catch (error) {
      // A logger that throws must not stop delivery (its calls sit in the worker's loop): the line is lost, said once.
      if (trouble.told) return;
      trouble.told = true;
      process.emitWarning(`The logger given to Mailroom threw (${(error as Error).message}); its lines are dropped while it does.`, {
        code: 'MAILROOM_LOGGER_FAILED',
      });
    }
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    enabled,
    child: (more) => hostLog(logger, level, { ...bindings, ...more }, trouble),
    flush: () => Promise.resolve(),
  };
}

/**
 * The host's logger as Mailroom uses it: a pino logger as pino (recognised by the methods pino alone has, in whatever
 * copy of pino the host uses), any other through `hostLog`.
 */
export function logOf(logger: Logger, level: string): Log {
  return isPino(logger) ? pinoLog(logger) : hostLog(logger, level);
}

function isPino(logger: Logger): logger is Logger & PinoLogger {
  const l = logger as Partial<Record<'isLevelEnabled' | 'bindings' | 'flush' | 'levels', unknown>>;
  return (
    typeof l.isLevelEnabled === 'function' &&
    typeof l.bindings === 'function' &&
    typeof l.flush === 'function' &&
    typeof l.levels === 'object'
  );
}
