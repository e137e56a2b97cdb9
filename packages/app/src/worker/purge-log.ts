import type { PurgeListener } from '@mailroom/domain';
import type { Log } from '../logging/log';

/**
 * Retention's log line: at `info`, one line per purge that deleted rows, with the count per status (`purged`), the
 * statements it took and how long; a purge that found nothing old says so at `debug`.
 */
export function purgeLog(logger: Log): PurgeListener {
  return {
    purged: ({ purged, total, batches, interrupted, startedAt, finishedAt }) => {
      const fields = { purged, total, batches, ms: finishedAt.getTime() - startedAt.getTime(), ...(interrupted ? { interrupted } : {}) };
      if (total > 0) logger.info('old notifications purged', fields);
      else logger.debug('no old notifications to purge', fields);
    },
    listenerFailed: (error) => logger.warn('a purge listener failed; the purge went on', { err: error }),
  };
}
