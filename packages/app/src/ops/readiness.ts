import type { DeliverDue } from '@mailroom/domain';
import type { DeliveryMonitor } from '../worker/delivery-monitor';
import type { BacklogProbe } from './backlog-probe';
import type { Readiness } from './ops-handler';

/**
 * Ready while the database answers (the cached backlog query: a probe costs no query of its own) and delivery is not
 * stopped (refused credentials or configuration, a spent quota, this Mailroom stopped) nor paused (its outcomes cannot
 * be written). Failing sends with the server away do not make a node unready: every node would fail alike.
 */
export async function readinessOf(
  parts: {
    readonly backlog: BacklogProbe;
    readonly deliverDue: Pick<DeliverDue, 'health'>;
    readonly monitor: Pick<DeliveryMonitor, 'activity'>;
  },
  mailroomStopped: boolean,
): Promise<Readiness> {
  const reading = await parts.backlog.read();
  const database: Readiness['database'] = reading.ok
    ? { ok: true }
    : { ok: false, ...(reading.error.code ? { code: reading.error.code } : {}) };
  const gate = parts.deliverDue.health();
  const paused = parts.monitor.activity().paused;
  const delivery: Readiness['delivery'] = mailroomStopped
    ? { state: 'stopped', code: 'MAILROOM.STOPPED' }
    : gate.state === 'stopped'
      ? { state: 'stopped', code: gate.reason.code }
      : paused
        ? { state: 'paused', ...(paused.code ? { code: paused.code } : {}) }
        : { state: 'healthy' };
  return { ready: database.ok && delivery.state === 'healthy', database, delivery };
}
