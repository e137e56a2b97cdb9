import type { DeliveryListener, Settlement } from '@mailroom/domain';
import type { Log } from '../logging/log';

/** Accepted mails named in the outage line; more are counted. */
const NAMED_MAILS = 100;

/**
 * The delivery's log lines. At `info`: every failure, one summary per delivery run (the worker's), and one line when
 * outcomes cannot be recorded — naming the mails the server accepted whose outcome waits — and one when they can
 * again. At `debug`: one line per mail the server accepted, at once (20 000 mails are not 20 000 info lines).
 */
export function deliveryLog(logger: Log): DeliveryListener {
  return {
    accepted: ({ id, messageId }) => logger.debug('mail sent', { id, messageId }),
    settled: (batch) => {
      for (const s of batch) logSettlement(logger, s);
    },
    settlementFailed: (error, unsettled) => {
      const accepted = unsettled.filter((s) => s.type === 'sent');
      logger.error(
        'cannot record delivery outcomes in the database: delivery paused (no new claims, no sends) until it answers; nothing is lost',
        {
          reason: (error as Error).message,
          code: (error as { code?: string }).code,
          unsettled: unsettled.length,
          // Sent, not yet recorded: if this process dies before the database answers, these go out again.
          acceptedNotRecorded: accepted.slice(0, NAMED_MAILS).map((s) => ({ id: s.id, messageId: s.messageId })),
          ...(accepted.length > NAMED_MAILS ? { acceptedNotRecordedMore: accepted.length - NAMED_MAILS } : {}),
        },
      );
    },
    settlementRecovered: () => logger.info('delivery outcomes recorded again; delivery resumes'),
    heartbeatFailed: (error) =>
      logger.debug('lease heartbeat failed; the claims run out as they were', { reason: (error as Error).message }),
  };
}

function logSettlement(logger: Log, s: Settlement): void {
  switch (s.type) {
    case 'sent':
      if (s.error) logger.warn('mail sent, some recipients refused', { id: s.id, messageId: s.messageId, note: s.error.message });
      break;
    case 'retry':
      logger.warn('mail will be retried', {
        id: s.id,
        code: s.error.code,
        responseCode: s.error.responseCode,
        retryAt: s.nextAttemptAt.toISOString(),
        reason: s.error.message,
      });
      break;
    case 'dead':
      logger.error('mail dead-lettered', { id: s.id, code: s.error.code, responseCode: s.error.responseCode, reason: s.error.message });
      break;
    case 'release':
      if (s.error)
        logger.error('delivery stopped; mail kept pending', {
          id: s.id,
          code: s.error.code,
          reason: s.error.message,
          retryAt: s.nextAttemptAt.toISOString(),
        });
      break;
  }
}
