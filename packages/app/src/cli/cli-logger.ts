import pino, { type Logger } from 'pino';
import type { MailroomConfig } from '../config';
import { createLogger } from '../logger';

let current: Logger | undefined;

/**
 * The CLI's logger, on stderr: at `log.level` (`MAILROOM_LOG_LEVEL` or the configuration file) when set; unset,
 * `start` logs at `info` (it is a service, its log is its output) and every other command logs nothing, so its
 * output is the result and the error alone.
 */
export function cliLogger(config: MailroomConfig, command: 'start' | 'one-shot'): Logger {
  const level = config.log.level ?? (command === 'start' ? 'info' : 'silent');
  // A one-shot command writes its few lines at once, so they interleave with its output as they happened; `start`
  // buffers (one write per mail would cost more than the rest of its logging).
  current = command === 'start' ? createLogger(level) : createLogger(level, pino.destination({ dest: 2, sync: true }));
  return current;
}

/** Writes what the logger still buffers (it writes asynchronously), before the process exits. */
export function flushCliLogger(): Promise<void> {
  const logger = current;
  return logger ? new Promise((resolve) => logger.flush(() => resolve())) : Promise.resolve();
}
