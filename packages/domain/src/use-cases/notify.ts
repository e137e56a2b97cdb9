import { ValidationError } from '../errors';
import type { KindRegistry } from '../kinds/kind-registry';
import type { KnownKind, KnownPayloads } from '../kinds/payloads';
import type { Delivery } from '../notification';
import type { Clock, IdSource } from '../ports/clock';
import type { NotificationStore } from '../ports/notification-store';
import { topic as checkTopic } from '../subscription';
import { recipient as checkRecipient, type RecipientInput } from '../values/recipient';

/** What the host passes to `notify`. Known kinds get their payload type checked at compile time. */
export type NotifyInput<K extends string = string> = {
  readonly kind: K;
  readonly recipient: RecipientInput;
  readonly payload: K extends KnownKind ? KnownPayloads[K] : Record<string, unknown>;
  /** Default `immediate`. */
  readonly delivery?: Delivery;
  readonly topic?: string;
  /** A second notify with the same key returns the first notification's id and adds nothing. */
  readonly dedupeKey?: string;
};

export function checkDelivery(value: unknown, field = 'delivery'): Delivery {
  if (value === 'immediate' || value === 'digest') return value;
  throw new ValidationError('NOTIFICATION.INVALID_DELIVERY', [{ field, problem: `must be "immediate" or "digest" (got ${JSON.stringify(value)})` }], 'Invalid delivery');
}

function checkDedupeKey(value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > 300) {
    throw new ValidationError('NOTIFICATION.INVALID_DEDUPE_KEY', [{ field: 'dedupeKey', problem: 'must be a string of 1 to 300 characters' }], 'Invalid dedupe key');
  }
  return value;
}

/** Validates a notification and puts it in the outbox; nothing is stored when anything is invalid. */
export class Notify {
  constructor(
    private readonly store: NotificationStore,
    private readonly kinds: KindRegistry,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  /** Returns the notification's id (the first one's, for a repeated dedupe key). */
  async execute<K extends string>(input: NotifyInput<K>): Promise<string> {
    if (input === null || typeof input !== 'object') {
      throw new ValidationError('NOTIFICATION.INVALID', [{ field: 'input', problem: 'must be { kind, recipient, payload }' }], 'Invalid notification');
    }
    this.kinds.check(input.kind, input.payload);
    const to = checkRecipient(input.recipient);
    const delivery = input.delivery === undefined ? 'immediate' : checkDelivery(input.delivery);
    const { notification } = await this.store.add({
      id: this.ids.next(),
      kind: input.kind,
      recipient: to,
      payload: input.payload as Record<string, unknown>,
      delivery,
      createdAt: this.clock.now(),
      ...(input.topic !== undefined ? { topic: checkTopic(input.topic) } : {}),
      ...(input.dedupeKey !== undefined ? { dedupeKey: checkDedupeKey(input.dedupeKey) } : {}),
    });
    return notification.id;
  }
}
