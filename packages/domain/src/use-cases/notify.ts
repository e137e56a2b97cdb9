import { IssueCollector, ValidationError } from '../errors';
import type { WriteOptions } from '../host-transaction';
import type { KindRegistry } from '../kinds/kind-registry';
import { DEFAULT_PAYLOAD_LIMITS, type PayloadLimits } from '../kinds/payload-limits';
import type { PayloadOf } from '../kinds/payloads';
import type { Delivery } from '../notification';
import type { Clock, IdSource } from '../ports/clock';
import type { NotificationStore } from '../ports/notification-store';
import { topic as checkTopic } from '../subscription';
import { recipient as checkRecipient, type RecipientInput } from '../values/recipient';
import { unstorableText } from '../values/text';

/** What the host passes to `notify`. Known kinds get their payload type checked at compile time. */
export type NotifyInput<K extends string = string> = {
  readonly kind: K;
  /** `userId` may be left out for someone who has no user yet (an invite): see `RecipientInput.userId`. */
  readonly recipient: RecipientInput;
  readonly payload: PayloadOf<K>;
  /** Default: the kind's `defaultDelivery`, else `immediate`. The recipient's own choice, when they made one, wins. */
  readonly delivery?: Delivery;
  readonly topic?: string;
  /** A second notify with the same key returns the first notification's id and adds nothing. */
  readonly dedupeKey?: string;
};

/** A delivery preference, or a `ValidationError` naming `field`. */
export function checkDelivery(value: unknown, field = 'delivery'): Delivery {
  if (value === 'immediate' || value === 'digest') return value;
  throw new ValidationError(
    'NOTIFICATION.INVALID_DELIVERY',
    [{ field, problem: `must be "immediate" or "digest" (got ${JSON.stringify(value)})` }],
    'Invalid delivery',
  );
}

/** A key the host makes up (dedupe key, event key): 1 to `max` characters that can be stored. */
export function checkKey(value: unknown, field: string, code: string, max: number): string {
  const problem =
    typeof value !== 'string' || value === '' || value.length > max ? `must be a string of 1 to ${max} characters` : unstorableText(value);
  if (problem !== undefined) throw new ValidationError(code, [{ field, problem }], `Invalid ${field}`);
  return value as string;
}

/**
 * Validates a notification and puts it in the outbox; nothing is stored when anything is invalid. The store applies
 * the recipient's choice for the kind and the suppression list as it adds (`RecipientRules`): in the same statement,
 * so a notify costs no lookups of its own.
 */
export class Notify {
  constructor(
    private readonly store: NotificationStore,
    private readonly kinds: KindRegistry,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly limits: PayloadLimits = DEFAULT_PAYLOAD_LIMITS,
    /** Whether the suppression list applies (the `suppression.enabled` setting, read at each notify). */
    private readonly suppress: () => boolean = () => true,
  ) {}

  /**
   * Returns the notification's id (the first one's, for a repeated dedupe key). Throws one
   * `ValidationError` naming every wrong field (`.field` is the first, `.issues` all of them) before the store, or
   * the host's transaction in `options`, is touched.
   */
  async execute<K extends string>(input: NotifyInput<K>, options: WriteOptions = {}): Promise<string> {
    if (input === null || typeof input !== 'object') {
      throw new ValidationError(
        'NOTIFICATION.INVALID',
        [{ field: 'input', problem: 'must be { kind, recipient, payload }' }],
        'Invalid notification',
      );
    }
    const issues = new IssueCollector();
    const definition = issues.check(() => this.kinds.definitionOf(input.kind));
    const to = issues.check(() => checkRecipient(input.recipient, 'recipient', { userId: 'optional' }));
    this.kinds.collectPayloadIssues(definition, input.payload, this.limits, issues);
    const requested = input.delivery === undefined ? undefined : issues.check(() => checkDelivery(input.delivery));
    const topic = input.topic === undefined ? undefined : issues.check(() => checkTopic(input.topic!));
    const dedupeKey =
      input.dedupeKey === undefined
        ? undefined
        : issues.check(() => checkKey(input.dedupeKey, 'dedupeKey', 'NOTIFICATION.INVALID_DEDUPE_KEY', 300));
    issues.done('Invalid notification');
    const { notification } = await this.store.add(
      {
        id: this.ids.next(),
        kind: input.kind,
        recipient: to!,
        payload: input.payload as Record<string, unknown>,
        delivery: requested ?? definition!.defaultDelivery ?? 'immediate',
        createdAt: this.clock.now(),
        rules: { mandatory: definition!.mandatory === true, suppress: this.suppress() },
        ...(topic !== undefined ? { topic } : {}),
        ...(dedupeKey !== undefined ? { dedupeKey } : {}),
      },
      options,
    );
    return notification.id;
  }
}
