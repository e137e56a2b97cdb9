import type { DigestRequest, NewNotification, Notification } from '@mailroom/domain';
import { pendingNotification } from '@mailroom/domain';
import { createDigest, type BatchRow } from './digest-step';
import { DIGEST_PARAMS } from './notification-params';
import type { NotificationStatements } from './notification-statements';
import type { SqlRunner } from './sql-runner';
import { NOTIFICATIONS } from './tables';

/** Some recipient's items changed between the read and the marking: the chunk goes the careful way. */
class ChunkChanged extends Error {}

/**
 * The digest step for many recipients of one period in a few statements: one read of every recipient's newest
 * items, then one transaction that adds the digests (a digest whose dedupe key exists, made by another worker,
 * is skipped by the unique index, and its items are left alone) and marks the covered items. When any recipient's
 * marked count differs from what its digest counted (an item arrived, or another run took them), the transaction
 * rolls back and each recipient of the chunk goes through the one-recipient step, which locks and retries.
 */
export async function createDigests(
  sql: SqlRunner,
  statements: NotificationStatements,
  schema: string,
  requests: readonly DigestRequest[],
): Promise<Notification[]> {
  if (requests.length === 0) return [];
  const periodEnd = requests[0]!.periodEnd;
  if (requests.some((r) => r.periodEnd.getTime() !== periodEnd.getTime() || r.maxItems !== requests[0]!.maxItems)) {
    return oneByOne(sql, statements, schema, requests);
  }
  const { rows } = await sql.run<BatchRow>(statements.digestBatches, [requests.map((r) => r.userId), periodEnd, requests[0]!.maxItems]);
  const byUser = new Map<string, BatchRow[]>();
  for (const row of rows) {
    const list = byUser.get(row.user_id);
    if (list) list.push(row);
    else byUser.set(row.user_id, [row]);
  }
  const digests: { digest: NewNotification; totalCount: number }[] = [];
  for (const request of requests) {
    const items = byUser.get(request.userId);
    if (!items) continue;
    const totalCount = Number(items[0]!.total_count);
    const digest = request.build({
      listed: items.map((row) => NOTIFICATIONS.fromRow(row)),
      totalCount,
      oldestCreatedAt: items[0]!.oldest_created_at,
    });
    digests.push({ digest: { ...digest, dedupeKey: request.dedupeKey }, totalCount });
  }
  if (digests.length === 0) return [];
  try {
    return await sql.transaction(async (tx) => {
      const inserted = await tx.run<{ id: string }>(
        statements.insertMany,
        NOTIFICATIONS.inserts.many(digests.map((d) => pendingNotification(d.digest))),
      );
      const ids = new Set(inserted.rows.map((r) => r.id));
      const created = digests.filter((d) => ids.has(d.digest.id));
      if (created.length === 0) return [];
      const marked = await tx.run<{ user_id: string }>(statements.markDigestedMany, [
        periodEnd,
        ...DIGEST_PARAMS.many(created.map((d) => d.digest)),
      ]);
      const markedByUser = new Map<string, number>();
      for (const { user_id } of marked.rows) markedByUser.set(user_id, (markedByUser.get(user_id) ?? 0) + 1);
      if (created.some((d) => markedByUser.get(d.digest.recipient.userId) !== d.totalCount)) throw new ChunkChanged();
      return created.map((d) => pendingNotification(d.digest));
    });
  } catch (error) {
    if (!(error instanceof ChunkChanged)) throw error;
    return oneByOne(sql, statements, schema, requests);
  }
}

async function oneByOne(
  sql: SqlRunner,
  statements: NotificationStatements,
  schema: string,
  requests: readonly DigestRequest[],
): Promise<Notification[]> {
  const created: Notification[] = [];
  for (const request of requests) {
    const digest = await createDigest(sql, statements, schema, request);
    if (digest) created.push(digest);
  }
  return created;
}
