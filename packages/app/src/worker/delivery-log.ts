import type { DeliveryListener, Settlement } from '@mailroom/domain';
import type { Log } from '../logging/log';

/** Accepted mails named in the outage line; more are counted. */
const NAMED_MAILS = 100;

/**
 * The delivery's log lines. At `info`: one summary per delivery run (the worker's), one line when outcomes cannot be
 * recorded — naming the mails the server accepted whose outcome waits — and one when they can again. Every failure at
 * `warn` or `error`: a retry, a dead letter, the attempt that stopped delivery (once: the mails that then wait are
 * `debug`), a server's quota pause. At `debug`: one line per mail the server accepted, at once (20 000 mails are not
 * 20 000 info lines).
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
    recorded: (outcomes) => {
      for (const o of outcomes) {
        // Retries and dead letters are told by their settlements; this is the attempt the server refused in a way that
        // stops delivery (credentials, configuration) — once, not once per mail that waits behind it.
        if (o.type === 'failed' && (o.failure === 'authentication' || o.failure === 'configuration'))
          logger.error('delivery stopped: mails wait, spending no attempts, until a probe send succeeds', {
            id: o.id,
            code: o.error.code,
            responseCode: o.error.responseCode,
            reason: o.error.message,
            probeAt: o.retryAt.toISOString(),
          });
      }
    },
    quotaPaused: (pause) => {
      if (pause.source === 'server')
        logger.warn("delivery paused for the server's sending quota; mails wait, spending no attempts", {
          code: pause.code,
          until: pause.until.toISOString(),
        });
      else logger.debug('the per-minute sending rate is spent; delivery waits for the next minute', { until: pause.until.toISOString() });
    },
    suppressionFailed: (error, address) =>
      logger.warn('could not put the address on the suppression list; its mail is dead-lettered all the same', {
        address,
        reason: (error as Error).message,
      }),
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
      // The attempt that stopped delivery is logged once (recorded); these are the mails that wait behind it.
      if (s.error)
        logger.debug('mail kept pending: delivery stopped', { id: s.id, code: s.error.code, retryAt: s.nextAttemptAt.toISOString() });
      break;
  }
}
