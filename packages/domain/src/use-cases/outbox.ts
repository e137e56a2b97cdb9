import { NotFoundError, ValidationError } from '../errors';
import type { Notification, NotificationStatus } from '../notification';
import type { Clock } from '../ports/clock';
import type { NotificationQuery, NotificationStore } from '../ports/notification-store';

/** What an admin sees of and does with the outbox. */
export class Outbox {
  constructor(
    private readonly store: NotificationStore,
    private readonly clock: Clock,
  ) {}

  /** Puts dead letters back in line with fresh attempts. Unknown or not-dead ids are named in the error. */
  async retryDead(ids: readonly string[] | 'all'): Promise<number> {
    if (ids !== 'all') {
      if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || id === '')) {
        throw new ValidationError('OUTBOX.INVALID_IDS', [{ field: 'ids', problem: 'must be "all" or a list of notification ids' }], 'Invalid retry');
      }
      const found = await Promise.all(ids.map((id) => this.store.get(id)));
      const notDead = ids.filter((id, i) => found[i]?.status !== 'dead');
      if (notDead.length > 0) {
        throw new NotFoundError('OUTBOX.NOT_DEAD', `These notifications are not dead letters (or do not exist): ${notDead.join(', ')}. List them with status "dead" first.`);
      }
    }
    return this.store.retryDead(ids, this.clock.now());
  }

  counts(): Promise<Record<NotificationStatus, number>> {
    return this.store.countByStatus();
  }

  list(query: NotificationQuery): Promise<Notification[]> {
    return this.store.find(query);
  }

  async get(id: string): Promise<Notification> {
    const n = await this.store.get(id);
    if (!n) throw new NotFoundError('OUTBOX.NOT_FOUND', `No notification with id ${id}.`);
    return n;
  }
}
