import {
  NOTIFICATION_STATUSES,
  type AddResult,
  type ClaimRef,
  type ClaimRequest,
  type DigestRequest,
  type FanOut,
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
import type { DataSource } from 'typeorm';
import { createDigests } from './digest-batch-step';
import { CLAIM_PARAMS, SETTLEMENT_PARAMS } from './notification-params';
import { notificationStatements, type NotificationStatements } from './notification-statements';
import { schemaName, type SchemaSettings } from './postgres-settings';
import { transactionSql } from './host-transaction';
import { InsertBatcher } from './insert-batcher';
import { insertNotification } from './insert-notification';
import { PostgresError } from './postgres-errors';
import { SqlRunner, type Sql, type SqlSettings } from './sql-runner';
import { NOTIFICATIONS, type NotificationRow } from './tables';
import { fanOutIdPrefix, isUuid } from './uuid';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * The outbox in PostgreSQL. Every operation is one statement (the digest step one short transaction), so several
 * workers on several nodes share it: claims lock with `FOR UPDATE SKIP LOCKED` and lease, no transaction stays
 * open while a mail is sent. Works on any DataSource over `pg` whose database has Mailroom's schema migrated.
 */
export class PostgresNotificationStore implements NotificationStore {
  private readonly sql: SqlRunner;
  private readonly statements: NotificationStatements;
  private readonly schema: string;
  private readonly inserts: InsertBatcher;
  private readonly label: string;

  constructor(dataSource: DataSource, settings: SchemaSettings & SqlSettings = {}) {
    this.schema = schemaName(settings);
    this.label = settings.databaseLabel ?? 'the database';
    this.sql = new SqlRunner(dataSource, settings);
    this.statements = notificationStatements(this.schema);
    this.inserts = new InsertBatcher(this.sql, this.statements);
  }

  /**
   * Batched with other adds of the same moment on Mailroom's pool; with `options.transaction`, one insert alone on the
   * host's transaction (see `PostgresTransaction`), whose commit delivers the insert trigger's wake-up.
   */
  async add(n: NewNotification, options: WriteOptions = {}): Promise<AddResult> {
    if (!isUuid(n.id)) {
      throw new PostgresError(
        'POSTGRES.ID_INVALID',
        `Notification id "${n.id}" is not a UUID: the Postgres outbox keys mails by UUID; give the use cases a UUID IdSource (UuidIdSource does).`,
      );
    }
    if (options.transaction !== undefined) return insertNotification(this.onHost(options.transaction), this.statements, n);
    return this.inserts.add(n);
  }

  async addForSubscribers(fanOut: FanOut, options: WriteOptions = {}): Promise<number> {
    const sql = options.transaction === undefined ? this.sql : this.onHost(options.transaction);
    const { count } = await sql.run(this.statements.fanOut, [
      fanOut.topic,
      fanOut.kind,
      JSON.stringify(fanOut.payload),
      fanOut.createdAt,
      fanOut.eventKey ?? null,
      fanOutIdPrefix(),
      fanOut.mandatory === true,
      fanOut.suppress === true,
    ]);
    return count;
  }

  private onHost(transaction: object): Sql {
    return transactionSql(transaction, this.label, this.schema);
  }

  async claimDue({ now, limit, leaseMs, owner }: ClaimRequest): Promise<Notification[]> {
    if (limit <= 0) return [];
    const { rows } = await this.sql.run<NotificationRow>(this.statements.claim, [now, limit, new Date(now.getTime() + leaseMs), owner]);
    return rows.map((row) => NOTIFICATIONS.fromRow(row));
  }

  async settle(settlements: readonly Settlement[]): Promise<void> {
    // The first settlement of an id wins, as when settling one by one: the second finds the mail no longer sending.
    const seen = new Set<string>();
    const batch = settlements.filter((s) => isUuid(s.id) && !seen.has(s.id) && seen.add(s.id));
    if (batch.length === 0) return;
    await this.sql.run(this.statements.settle, SETTLEMENT_PARAMS.many(batch));
  }

  async extendLeases(claims: readonly ClaimRef[], until: Date): Promise<Set<string>> {
    const held = claims.filter((c) => isUuid(c.id));
    if (held.length === 0) return new Set();
    const { rows } = await this.sql.run<{ id: string }>(this.statements.extendLeases, [until, ...CLAIM_PARAMS.many(held)]);
    return new Set(rows.map((r) => r.id));
  }

  async digestRecipients(before: Date, limit: number, afterUserId?: string): Promise<string[]> {
    const { rows } = await this.sql.run<{ user_id: string }>(this.statements.digestRecipients, [before, limit, afterUserId ?? '']);
    return rows.map((r) => r.user_id);
  }

  async createDigests(requests: readonly DigestRequest[]): Promise<Notification[]> {
    return createDigests(this.sql, this.statements, this.schema, requests);
  }

  async retryDeadBatch(after: string | undefined, limit: number, now: Date): Promise<{ count: number; last?: string }> {
    const { rows } = await this.sql.run<{ id: string }>(this.statements.retryDeadBatch, [
      after !== undefined && isUuid(after) ? after : null,
      limit,
      now,
    ]);
    if (rows.length > 0) await this.sql.run(this.statements.wake);
    // uuids come back in lower-case hex, whose string order is PostgreSQL's uuid order.
    const last = rows.reduce<string | undefined>((max, r) => (max === undefined || r.id > max ? r.id : max), undefined);
    return { count: rows.length, ...(last === undefined ? {} : { last }) };
  }

  async retryDead(ids: readonly string[], now: Date): Promise<number> {
    const { count } = await this.sql.run(this.statements.retryDead, [ids.filter(isUuid), now]);
    if (count > 0) await this.sql.run(this.statements.wake);
    return count;
  }

  async purgeBatch({ status, before, limit, after }: PurgeBatchRequest): Promise<PurgeBatchResult> {
    // Without a cursor, from before the first row: the statement keeps one shape, an index range from its start.
    const from = after !== undefined && isUuid(after.id) ? after : { createdAt: '-infinity', id: NIL_UUID };
    const { rows } = await this.sql.run<{ created_at: Date; id: string }>(this.statements.purgeBatch, [
      status,
      before,
      from.createdAt,
      from.id,
      limit,
    ]);
    // The greatest (created_at, id) deleted; uuids come back in lower-case hex, whose string order is uuid order.
    let last: { created_at: Date; id: string } | undefined;
    for (const r of rows) {
      if (
        last === undefined ||
        r.created_at.getTime() > last.created_at.getTime() ||
        (r.created_at.getTime() === last.created_at.getTime() && r.id > last.id)
      )
        last = r;
    }
    return { count: rows.length, ...(last ? { last: { createdAt: last.created_at, id: last.id } } : {}) };
  }

  async countPurgeable(status: PurgeableStatus, before: Date): Promise<number> {
    const { rows } = await this.sql.run<{ count: number }>(this.statements.countPurgeable, [status, before]);
    return rows[0]?.count ?? 0;
  }

  async get(id: string): Promise<Notification | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.sql.run<NotificationRow>(this.statements.get, [id]);
    return rows[0] === undefined ? undefined : NOTIFICATIONS.fromRow(rows[0]);
  }

  async find(query: NotificationQuery): Promise<Notification[]> {
    const params: unknown[] = [];
    const filters: string[] = [];
    const filter = (
      column: keyof typeof NOTIFICATIONS.columns,
      value: string | undefined,
      test = (c: string, p: string) => `${c} = ${p}`,
    ) => {
      if (value === undefined) return;
      params.push(value);
      filters.push(test(column, `$${params.length}`));
    };
    filter('status', query.status);
    filter('user_id', query.userId);
    filter('kind', query.kind);
    filter('delivery', query.delivery);
    filter('address', query.address, (c, p) => `lower(${c}) = lower(${p})`);
    // The code itself or one below it; starts_with, not LIKE, whose `_` would match any character of a code.
    filter('last_error', query.errorCode, (c, p) => `(${c}->>'code' = ${p} OR starts_with(${c}->>'code', ${p} || '.'))`);
    const where = filters.length === 0 ? 'true' : filters.join(' AND ');
    // An unknown anchor pages from the start, as the in-memory store does.
    params.push(query.afterId !== undefined && isUuid(query.afterId) ? query.afterId : null, query.limit);
    const text = this.statements.find(where, `$${params.length - 1}::uuid`, `$${params.length}`);
    const { rows } = await this.sql.run<NotificationRow>(text, params);
    return rows.map((row) => NOTIFICATIONS.fromRow(row));
  }

  async countByStatus(): Promise<Record<NotificationStatus, number>> {
    const counts = Object.fromEntries(NOTIFICATION_STATUSES.map((s) => [s, 0])) as Record<NotificationStatus, number>;
    const { rows } = await this.sql.run<{ status: NotificationStatus; count: number }>(this.statements.countByStatus);
    for (const r of rows) counts[r.status] = r.count;
    return counts;
  }

  async nextDueAt(): Promise<Date | undefined> {
    const { rows } = await this.sql.run<{ at: Date | null }>(this.statements.nextDueAt);
    return rows[0]?.at ?? undefined;
  }

  async oldestPendingAt(): Promise<Date | undefined> {
    const { rows } = await this.sql.run<{ at: Date | null }>(this.statements.oldestPendingAt);
    return rows[0]?.at ?? undefined;
  }

  async backlog(): Promise<OutboxBacklog> {
    const { rows } = await this.sql.run<{ pending: number; sending: number; dead: number; digest_items: number; oldest: Date | null }>(
      this.statements.backlog,
    );
    const { pending, sending, dead, digest_items: digestItems, oldest } = rows[0]!;
    return { pending, sending, dead, digestItems, ...(oldest ? { oldestPendingAt: oldest } : {}) };
  }
}
