import {
  NOTIFICATION_STATUSES,
  pendingNotification,
  type AddResult,
  type ClaimRef,
  type ClaimRequest,
  type DigestRequest,
  type FanOut,
  type IdSource,
  type NewNotification,
  type Notification,
  type NotificationQuery,
  type NotificationStatus,
  type NotificationStore,
  type OutboxBacklog,
  type PurgeableStatus,
  type PurgeBatchRequest,
  type PurgeBatchResult,
  type Settlement,
  type WriteOptions,
} from '@mailroom/domain';
// Looks at the object only (types from pg and TypeORM, no driver): hosts' tests get the same refusals as production.
import { recogniseTransaction } from '../postgres/host-transaction';
import { UuidIdSource } from '../system/system-clock';
import { applyRecipientRules } from '@mailroom/domain';
import type { InMemoryPreferenceStore } from './in-memory-preference-store';
import type { InMemorySuppressionList } from './in-memory-suppression-list';
import type { InMemorySubscriptionStore } from './in-memory-subscription-store';

const time = (d: Date) => d.getTime();

/**
 * The outbox in a map: for tests and hosts' tests. Every method runs without awaiting in between,
 * so each is atomic in one process, as the contract requires.
 */
export class InMemoryNotificationStore implements NotificationStore {
  private readonly rows = new Map<string, Notification>();
  private readonly dedupe = new Map<string, string>();

  /** `preferences` and `suppressions`: what the fan-out honours, as the Postgres fan-out joins their tables. */
  constructor(
    private readonly subscriptions: InMemorySubscriptionStore,
    private readonly ids: IdSource = new UuidIdSource(),
    private readonly preferences?: InMemoryPreferenceStore,
    private readonly suppressions?: InMemorySuppressionList,
  ) {}

  /**
   * A `transaction` is checked as the Postgres store checks it (one of the kinds it accepts, and open), so a host's
   * test catches a wrong object; but this outbox is not in the host's database: the notification is added at once,
   * as if the host's transaction committed, whatever the host does with it later.
   */
  async add(n: NewNotification, options: WriteOptions = {}): Promise<AddResult> {
    this.checkTransaction(options);
    if (n.rules === undefined) return this.insert(n);
    const chosen = this.preferences?.choiceFor({
      userId: n.recipient.userId,
      kind: n.kind,
      ...(n.topic !== undefined ? { topic: n.topic } : {}),
    });
    return this.insert(applyRecipientRules(n, chosen, this.suppressions?.holds(n.recipient.email.address) === true));
  }

  /** `options.transaction` as for `add`: checked, then the fan-out happens at once. */
  async addForSubscribers(fanOut: FanOut, options: WriteOptions = {}): Promise<number> {
    this.checkTransaction(options);
    let added = 0;
    for (const s of this.subscriptions.all(fanOut.topic)) {
      const chosen = this.preferences?.choiceFor({ userId: s.subscriber.userId, kind: fanOut.kind, topic: fanOut.topic });
      const notification = {
        id: this.ids.next(),
        kind: fanOut.kind,
        recipient: s.subscriber,
        topic: fanOut.topic,
        payload: fanOut.payload,
        delivery: s.delivery,
        createdAt: fanOut.createdAt,
        rules: { mandatory: fanOut.mandatory === true, suppress: fanOut.suppress === true },
        ...(fanOut.eventKey !== undefined ? { dedupeKey: `${fanOut.eventKey}:${s.subscriber.userId}` } : {}),
      };
      const { created } = this.insert(
        applyRecipientRules(notification, chosen, this.suppressions?.holds(s.subscriber.email.address) === true),
      );
      if (created) added++;
    }
    return added;
  }

  private checkTransaction(options: WriteOptions): void {
    // Any engine: a host's tests may run their transactions on SQLite or another test database.
    if (options.transaction !== undefined) recogniseTransaction(options.transaction, { postgresOnly: false });
  }

  async claimDue({ now, limit, leaseMs, owner }: ClaimRequest): Promise<Notification[]> {
    const due = [...this.rows.values()]
      .filter(
        (n) =>
          n.delivery === 'immediate' &&
          ((n.status === 'pending' && time(n.nextAttemptAt) <= time(now)) ||
            (n.status === 'sending' && n.leaseUntil !== undefined && time(n.leaseUntil) <= time(now))),
      )
      .sort((a, b) => time(a.nextAttemptAt) - time(b.nextAttemptAt) || time(a.createdAt) - time(b.createdAt))
      .slice(0, limit);
    const leaseUntil = new Date(time(now) + leaseMs);
    return due.map((n) =>
      this.put({ ...n, status: 'sending', attempts: n.attempts + 1, claim: n.claim + 1, claimedBy: owner, leaseUntil }),
    );
  }

  async settle(settlements: readonly Settlement[]): Promise<void> {
    for (const s of settlements) {
      const n = this.rows.get(s.id);
      if (!n || n.status !== 'sending' || n.claim !== s.claim) continue;
      const { leaseUntil: _lease, ...rest } = n;
      switch (s.type) {
        case 'sent':
          this.put({ ...rest, status: 'sent', sentAt: s.at, messageId: s.messageId, ...(s.error ? { lastError: s.error } : {}) });
          break;
        case 'retry':
          this.put({ ...rest, status: 'pending', nextAttemptAt: s.nextAttemptAt, lastError: s.error });
          break;
        case 'dead':
          this.put({ ...rest, status: 'dead', lastError: s.error });
          break;
        case 'release':
          this.put({
            ...rest,
            status: 'pending',
            attempts: Math.max(0, n.attempts - 1),
            nextAttemptAt: s.nextAttemptAt,
            ...(s.error ? { lastError: s.error } : {}),
          });
          break;
      }
    }
  }

  async extendLeases(claims: readonly ClaimRef[], until: Date): Promise<Set<string>> {
    const kept = new Set<string>();
    for (const c of claims) {
      const n = this.rows.get(c.id);
      if (!n || n.status !== 'sending' || n.claim !== c.claim) continue;
      this.put({ ...n, leaseUntil: until });
      kept.add(c.id);
    }
    return kept;
  }

  async digestRecipients(before: Date, limit: number, afterUserId?: string): Promise<string[]> {
    const users = new Set<string>();
    for (const n of this.rows.values()) {
      if (this.isDigestItem(n, before) && (afterUserId === undefined || n.recipient.userId > afterUserId)) users.add(n.recipient.userId);
    }
    return [...users].sort().slice(0, limit);
  }

  /** One recipient's digest step (atomic here: nothing else runs in between). */
  private createDigest(request: DigestRequest): Notification | undefined {
    if (this.dedupe.has(request.dedupeKey)) return undefined;
    // Rows are kept in the order they were added: reversed and stably sorted, equal times list the last added first.
    const items = [...this.rows.values()]
      .filter((n) => n.recipient.userId === request.userId && this.isDigestItem(n, request.periodEnd))
      .reverse()
      .sort((a, b) => time(b.createdAt) - time(a.createdAt));
    if (items.length === 0) return undefined;
    const digest = request.build({
      listed: items.slice(0, request.maxItems),
      totalCount: items.length,
      oldestCreatedAt: items[items.length - 1]!.createdAt,
    });
    const { notification } = this.insert({ ...digest, dedupeKey: request.dedupeKey });
    for (const item of items) this.put({ ...item, status: 'digested', digestId: notification.id });
    return notification;
  }

  async createDigests(requests: readonly DigestRequest[]): Promise<Notification[]> {
    const created: Notification[] = [];
    for (const request of requests) {
      const digest = this.createDigest(request);
      if (digest) created.push(digest);
    }
    return created;
  }

  async retryDeadBatch(after: string | undefined, limit: number, now: Date): Promise<{ count: number; last?: string }> {
    const batch = [...this.rows.values()]
      .filter((n) => n.status === 'dead' && (after === undefined || n.id > after))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit);
    for (const n of batch) this.put({ ...n, status: 'pending', attempts: 0, nextAttemptAt: now });
    const last = batch.at(-1)?.id;
    return { count: batch.length, ...(last === undefined ? {} : { last }) };
  }

  async retryDead(ids: readonly string[], now: Date): Promise<number> {
    const targets = ids.map((id) => this.rows.get(id)).filter((n) => n !== undefined);
    let count = 0;
    for (const n of targets) {
      if (n.status !== 'dead') continue;
      this.put({ ...n, status: 'pending', attempts: 0, nextAttemptAt: now });
      count++;
    }
    return count;
  }

  async purgeBatch({ status, before, limit, after }: PurgeBatchRequest): Promise<PurgeBatchResult> {
    const batch = this.purgeable(status, before)
      .filter(
        (n) =>
          after === undefined ||
          time(n.createdAt) > time(after.createdAt) ||
          (time(n.createdAt) === time(after.createdAt) && n.id > after.id),
      )
      .sort(byAge)
      .slice(0, limit);
    for (const n of batch) {
      this.rows.delete(n.id);
      // A dedupe key is remembered as long as its row is kept.
      if (n.dedupeKey !== undefined && this.dedupe.get(n.dedupeKey) === n.id) this.dedupe.delete(n.dedupeKey);
    }
    const last = batch.at(-1);
    return { count: batch.length, ...(last ? { last: { createdAt: last.createdAt, id: last.id } } : {}) };
  }

  async countPurgeable(status: PurgeableStatus, before: Date): Promise<number> {
    return this.purgeable(status, before).length;
  }

  /** As the Postgres store: old by creation and by the last due time; a digested item waits for its digest to settle. */
  private purgeable(status: PurgeableStatus, before: Date): Notification[] {
    return [...this.rows.values()].filter((n) => {
      if (n.status !== status || time(n.createdAt) >= time(before) || time(n.nextAttemptAt) >= time(before)) return false;
      const digest = n.digestId === undefined ? undefined : this.rows.get(n.digestId);
      return !(status === 'digested' && digest !== undefined && (digest.status === 'pending' || digest.status === 'sending'));
    });
  }

  async get(id: string): Promise<Notification | undefined> {
    return this.rows.get(id);
  }

  async find(query: NotificationQuery): Promise<Notification[]> {
    const matches = [...this.rows.values()]
      .filter(
        (n) =>
          (query.status === undefined || n.status === query.status) &&
          (query.userId === undefined || n.recipient.userId === query.userId) &&
          (query.kind === undefined || n.kind === query.kind) &&
          (query.delivery === undefined || n.delivery === query.delivery) &&
          (query.address === undefined || n.recipient.email.address.toLowerCase() === query.address.toLowerCase()) &&
          (query.errorCode === undefined || inFamily(n.lastError?.code, query.errorCode)),
      )
      .sort((a, b) => time(b.createdAt) - time(a.createdAt) || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0));
    const start = query.afterId === undefined ? 0 : matches.findIndex((n) => n.id === query.afterId) + 1;
    return matches.slice(start, start + query.limit);
  }

  async countByStatus(): Promise<Record<NotificationStatus, number>> {
    const counts = Object.fromEntries(NOTIFICATION_STATUSES.map((s) => [s, 0])) as Record<NotificationStatus, number>;
    for (const n of this.rows.values()) counts[n.status]++;
    return counts;
  }

  async nextDueAt(): Promise<Date | undefined> {
    let earliest: Date | undefined;
    for (const n of this.rows.values()) {
      if (n.delivery === 'immediate' && n.status === 'pending' && (!earliest || time(n.nextAttemptAt) < time(earliest)))
        earliest = n.nextAttemptAt;
    }
    return earliest;
  }

  async oldestPendingAt(): Promise<Date | undefined> {
    let oldest: Date | undefined;
    for (const n of this.rows.values()) {
      const waiting = n.delivery === 'immediate' && (n.status === 'pending' || n.status === 'sending');
      if (waiting && (!oldest || time(n.createdAt) < time(oldest))) oldest = n.createdAt;
    }
    return oldest;
  }

  async backlog(): Promise<OutboxBacklog> {
    const counts = { pending: 0, sending: 0, dead: 0, digestItems: 0 };
    for (const n of this.rows.values()) {
      if (n.status === 'dead') counts.dead++;
      else if (n.delivery === 'digest') counts.digestItems += n.status === 'pending' ? 1 : 0;
      else if (n.status === 'pending' || n.status === 'sending') counts[n.status]++;
    }
    const oldestPendingAt = await this.oldestPendingAt();
    return { ...counts, ...(oldestPendingAt ? { oldestPendingAt } : {}) };
  }

  /** Every row, oldest first: for tests. */
  all(): Notification[] {
    return [...this.rows.values()].sort((a, b) => time(a.createdAt) - time(b.createdAt));
  }

  private isDigestItem(n: Notification, before: Date): boolean {
    return n.delivery === 'digest' && n.status === 'pending' && time(n.createdAt) < time(before);
  }

  private insert(n: NewNotification): AddResult {
    if (n.dedupeKey !== undefined) {
      const firstId = this.dedupe.get(n.dedupeKey);
      const first = firstId === undefined ? undefined : this.rows.get(firstId);
      if (first) return { notification: first, created: false };
      this.dedupe.set(n.dedupeKey, n.id);
    }
    return { notification: this.put(pendingNotification(n)), created: true };
  }

  private put(n: Notification): Notification {
    this.rows.set(n.id, n);
    return n;
  }
}

/** Oldest first; equal times by id, as the Postgres store's (created_at, id) index orders them. */
function byAge(a: Notification, b: Notification): number {
  return time(a.createdAt) - time(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** `SEND.PERMANENT` is the code itself and the family of every `SEND.PERMANENT.…` below it. */
function inFamily(code: string | undefined, family: string): boolean {
  return code !== undefined && (code === family || code.startsWith(`${family}.`));
}
