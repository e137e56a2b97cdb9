import type { DeliveryListener, Settlement } from '@mailroom/domain';
import type { Logger } from 'pino';

/**
 * The delivery's log lines: one per mail the server accepted (at once, even while its settlement waits for the
 * database), one per failure, and one line when outcomes cannot be recorded and one when they can again.
 */
export function deliveryLog(logger: Logger): DeliveryListener {
  return {
    accepted: ({ id, messageId }) => logger.info({ id, messageId }, 'mail sent'),
    settled: (batch) => {
      for (const s of batch) logSettlement(logger, s);
    },
    settlementFailed: (error, unsettled) =>
      logger.error(
        { reason: (error as Error).message, code: (error as { code?: string }).code, unsettled },
        'cannot record delivery outcomes in the database: delivery paused (no new claims, no sends) until it answers; nothing is lost',
      ),
    settlementRecovered: () => logger.info('delivery outcomes recorded again; delivery resumes'),
    heartbeatFailed: (error) => logger.debug({ reason: (error as Error).message }, 'lease heartbeat failed; the claims run out as they were'),
  };
}

function logSettlement(logger: Logger, s: Settlement): void {
  switch (s.type) {
    case 'sent':
      if (s.error) logger.warn({ id: s.id, messageId: s.messageId, note: s.error.message }, 'mail sent, some recipients refused');
      break;
    case 'retry':
      logger.warn({ id: s.id, code: s.error.code, responseCode: s.error.responseCode, retryAt: s.nextAttemptAt.toISOString(), reason: s.error.message }, 'mail will be retried');
      break;
    case 'dead':
      logger.error({ id: s.id, code: s.error.code, responseCode: s.error.responseCode, reason: s.error.message }, 'mail dead-lettered');
      break;
    case 'release':
      if (s.error) logger.error({ id: s.id, code: s.error.code, reason: s.error.message, retryAt: s.nextAttemptAt.toISOString() }, 'delivery stopped; mail kept pending');
      break;
  }
}
