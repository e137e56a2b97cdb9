import type { DigestBatch } from '../digest';
import type { WriteOptions } from '../host-transaction';
import type { DeliveryError, NewNotification, Notification, NotificationStatus } from '../notification';
import type { Delivery } from '../notification';
import type { PurgeableStatus } from '../retention';
import type { Topic } from '../subscription';

/** Fan-out of one event to every subscriber of a topic. */
export interface FanOut {
  readonly topic: Topic;
  readonly kind: string;
  readonly payload: Record<string, unknown>;
  readonly createdAt: Date;
  /**
   * Makes the publish idempotent: each subscriber's notification gets the dedupe key `<eventKey>:<userId>`,
   * so publishing the same event twice adds nothing the second time.
   */
  readonly eventKey?: string;
  /** The kind may not be turned off: a subscriber's "off" does not hold (their immediate or digest does). */
  readonly mandatory?: boolean;
  /** Subscribers whose address is on the suppression list get their notification as `suppressed`. */
  readonly suppress?: boolean;
}

/** What a worker asks `claimDue` for: how many mails, due at `now`, leased for how long, to whom. */
export interface ClaimRequest {
  readonly now: Date;
  readonly limit: number;
  /** The claim expires this long after `now` unless extended; then the mail is due again. */
  readonly leaseMs: number;
  /** Who claims: kept on the row (`claimedBy`) so an admin sees which worker holds a mail. */
  readonly owner: string;
}

/**
 * Which claim a settlement is for: the mail's id and the claim number its claim returned (`Notification.claim`).
 * A worker whose lease ran out (and whose mail another worker claimed again, or an admin retried) names an older
 * claim, and is ignored.
 */
export interface ClaimRef {
  readonly id: string;
  readonly claim: number;
}

/** How one claimed mail ended; settled in batches. */
export type Settlement = ClaimRef &
  (
    | { readonly type: 'sent'; readonly at: Date; readonly messageId: string; readonly error?: DeliveryError }
    | { readonly type: 'retry'; readonly nextAttemptAt: Date; readonly error: DeliveryError }
    | { readonly type: 'dead'; readonly at: Date; readonly error: DeliveryError }
    /** Back to pending without counting the attempt (delivery stopped for a reason that is not the mail's). */
    | { readonly type: 'release'; readonly nextAttemptAt: Date; readonly error?: DeliveryError }
  );

/** One recipient's digest for one period, as `createDigests` takes it. */
export interface DigestRequest {
  readonly userId: string;
  /** Items created before this instant are covered. */
  readonly periodEnd: Date;
  readonly maxItems: number;
  /** Unique per recipient and period: a second request with the same key creates nothing. */
  readonly dedupeKey: string;
  /** Makes the digest mail from the pending items; called inside the store's atomic step. */
  build(batch: DigestBatch): NewNotification;
}

/** A filter and page over the outbox, for admins (`Outbox.list`). */
export interface NotificationQuery {
  readonly status?: NotificationStatus;
  readonly userId?: string;
  readonly kind?: string;
  readonly delivery?: Delivery;
  /** The recipient's address, compared without regard to case (`Ada@Example.com` finds `ada@example.com`). */
  readonly address?: string;
  /**
   * Why the last attempt failed: the last error's code, or a family of codes — `SEND.PERMANENT` finds that code
   * and every `SEND.PERMANENT.…` below it (`SEND.CONFIGURATION` finds `SEND.CONFIGURATION.TLS`).
   */
  readonly errorCode?: string;
  readonly limit: number;
  /** Newest first; continue after this id (keyset paging). */
  readonly afterId?: string;
}

/** Where a purge got to: the last row it deleted, in (createdAt, id) order; the next batch starts after it. */
export interface PurgeCursor {
  readonly createdAt: Date;
  readonly id: string;
}

/**
 * One batch of retention's purge: up to `limit` rows of a final `status` that are old — created and last due (the
 * row's `nextAttemptAt`) before `before` — taken in (createdAt, id) order after `after`. A digested item stays while
 * the digest mail that carries it is pending or sending. Rows another transaction holds are skipped (not waited for).
 */
export interface PurgeBatchRequest {
  readonly status: PurgeableStatus;
  readonly before: Date;
  readonly limit: number;
  readonly after?: PurgeCursor;
}

/** How many rows a purge batch deleted, and where the next batch starts (absent when it deleted none). */
export interface PurgeBatchResult {
  readonly count: number;
  readonly last?: PurgeCursor;
}

/** The added notification, and whether it is new or an earlier one with the same dedupe key. */
export interface AddResult {
  readonly notification: Notification;
  readonly created: boolean;
}

/**
 * The outbox. Every operation is atomic on its own; several workers may call it at once
 * (the Postgres adapter claims with `FOR UPDATE SKIP LOCKED` and leases).
 */
export interface NotificationStore {
  /**
   * Adds one notification; with a dedupe key already present, returns the first one and adds nothing. With `rules`
   * (`notify` always gives them), the store decides its delivery and status as it adds, from the recipient's choice and
   * the suppression list (`applyRecipientRules`; the contract suite's "add under the recipient rules" holds a store to
   * it), and returns the notification as decided. With
   * `options.transaction`, writes it inside the host's transaction (it is there, and workers wake, only once the host
   * commits), or refuses the transaction with a `HostTransactionError` before writing anything.
   */
  add(notification: NewNotification, options?: WriteOptions): Promise<AddResult>;

  /**
   * Adds one notification for every subscriber of the topic, each with the subscriber's delivery preference —
   * replaced by the recipient's choice for the kind (on this topic first, else on every topic): immediate or digest,
   * or "off", which adds the notification as `skipped` unless the kind is mandatory.
   * Runs inside the store (one `INSERT … SELECT` in Postgres): subscribers never pass through memory.
   * Returns how many were added. `options.transaction` as for `add`.
   */
  addForSubscribers(fanOut: FanOut, options?: WriteOptions): Promise<number>;

  /**
   * Claims up to `limit` due immediate mails (pending with `nextAttemptAt <= now`, or sending with an
   * expired lease), oldest due first: marks them `sending`, counts the attempt and the claim, leases them to
   * `owner`.
   */
  claimDue(request: ClaimRequest): Promise<Notification[]>;

  /** Settles claimed mails. Ignores mails that are no longer `sending`, or were claimed again since (another claim). */
  settle(settlements: readonly Settlement[]): Promise<void>;

  /**
   * The heartbeat of a live worker: moves the lease of each claim that is still held (`sending`, same claim) to
   * `until`. Returns the ids whose lease it moved; a claim missing from the answer is lost (taken over or settled).
   */
  extendLeases(claims: readonly ClaimRef[], until: Date): Promise<Set<string>>;

  /** Users with pending digest items created before `before`, ordered by user id, paged. */
  digestRecipients(before: Date, limit: number, afterUserId?: string): Promise<string[]>;

  /**
   * The digest step, for many recipients (one request each, same period). For each request, atomically: takes the
   * user's pending digest items created before `periodEnd`, builds the digest mail, adds it and marks every covered
   * item `digested` — or, when the user has no such item or a digest with the same dedupe key exists (another worker
   * made it), changes nothing for that user. A store may do the requests together (Postgres: a few statements for the
   * whole list). Returns the digests created.
   */
  createDigests(requests: readonly DigestRequest[]): Promise<Notification[]>;

  /** These dead letters back to pending with fresh attempts (ids not dead are left alone). Returns how many. */
  retryDead(ids: readonly string[], now: Date): Promise<number>;

  /**
   * One batch of a large retry: up to `limit` dead letters whose ids come after `after` in id order (from the
   * first when undefined) back to pending with fresh attempts. Returns how many, and the last id, which is the
   * next batch's `after`; a mail that dies again meanwhile is not retried twice in one pass.
   */
  retryDeadBatch(after: string | undefined, limit: number, now: Date): Promise<{ readonly count: number; readonly last?: string }>;

  /**
   * Deletes one batch of old rows of a final status (see `PurgeBatchRequest`): one short statement, whose row locks
   * skip rows another worker or purge holds, so two purges at once delete each row once. Never touches pending or
   * sending rows.
   */
  purgeBatch(request: PurgeBatchRequest): Promise<PurgeBatchResult>;

  /** How many rows `purgeBatch` would delete for this status and cut-off, every batch together (a dry run). */
  countPurgeable(status: PurgeableStatus, before: Date): Promise<number>;

  get(id: string): Promise<Notification | undefined>;
  find(query: NotificationQuery): Promise<Notification[]>;
  countByStatus(): Promise<Record<NotificationStatus, number>>;
  /** The earliest `nextAttemptAt` of a pending immediate mail, so a worker knows how long it may sleep. */
  nextDueAt(): Promise<Date | undefined>;
  /**
   * When the oldest immediate mail not sent yet (pending, or claimed and in flight) was created: how long mail has
   * been waiting to go out, for health. Digest items are left out (they wait for their period by design).
   */
  oldestPendingAt(): Promise<Date | undefined>;
  /**
   * What waits in the outbox, in one read cheap enough to repeat every few seconds (metrics): immediate mails pending
   * and in flight, dead letters, digest items waiting for their digest, and when the oldest immediate mail not sent
   * yet was created (as `oldestPendingAt`).
   */
  backlog(): Promise<OutboxBacklog>;
}

/** What `NotificationStore.backlog` reads. */
export interface OutboxBacklog {
  /** Immediate mails (digest mails included) waiting to be sent: due, or waiting for their retry. */
  readonly pending: number;
  /** Immediate mails claimed by a worker, in flight. */
  readonly sending: number;
  readonly dead: number;
  /** Digest items waiting for their recipient's next digest. */
  readonly digestItems: number;
  readonly oldestPendingAt?: Date;
}
