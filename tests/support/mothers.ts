import { randomUUID } from 'node:crypto';
import { aQueryResultsChanged } from './payloads';
import {
  recipient,
  type Delivery,
  type NewNotification,
  type Recipient,
  type RecipientInput,
  type Subscription,
  type UserRecipientInput,
} from '@mailroom/domain';

/** Test data with sensible defaults; override only what a test is about. */
export function aRecipientInput(overrides: Partial<RecipientInput> = {}): UserRecipientInput {
  const userId = overrides.userId ?? `user-${randomUUID().slice(0, 8)}`;
  return { userId, address: `${userId}@example.com`, name: 'Ada Lovelace', ...overrides };
}

export function aRecipient(overrides: Partial<RecipientInput> = {}): Recipient {
  return recipient(aRecipientInput(overrides));
}

export const T0 = new Date('2026-01-05T09:00:00.000Z');

export function minutesAfter(base: Date, minutes: number): Date {
  return new Date(base.getTime() + minutes * 60_000);
}

export function aNewNotification(overrides: Partial<NewNotification> = {}): NewNotification {
  return {
    id: randomUUID(),
    kind: 'query-results-changed',
    recipient: aRecipient(),
    payload: { ...aQueryResultsChanged() },
    delivery: 'immediate',
    createdAt: T0,
    ...overrides,
  };
}

export function aSubscription(overrides: Partial<Subscription> & { delivery?: Delivery } = {}): Subscription {
  return { subscriber: aRecipient(), topic: 'query:42', delivery: 'immediate', createdAt: T0, ...overrides };
}
