import type { DigestRequest, Notification } from '@mailroom/domain';
import { insertNotification } from './insert-notification';
import type { NotificationStatements } from './notification-statements';
import { PostgresError } from './postgres-errors';
import type { SqlRunner } from './sql-runner';
import { NOTIFICATIONS, type NotificationRow } from './tables';

export type BatchRow = NotificationRow & { total_count: string; oldest_created_at: Date };

/** Signals that an item arrived between reading the batch and marking it: the digest is built again. */
class BatchChanged extends Error {}

const ATTEMPTS = 3;

/**
 * One transaction per recipient. An advisory lock on the recipient serialises two workers' runs, so the second
 * finds the first one's digest by its dedupe key and creates nothing. The items marked are exactly the items the
 * digest counted: when a late item (created before the period's end, committed after the batch was read) makes
 * the counts differ, the transaction rolls back and the digest is built again.
 */
export async function createDigest(
  sql: SqlRunner,
  statements: NotificationStatements,
  schema: string,
  request: DigestRequest,
): Promise<Notification | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sql.transaction(async (tx) => {
        await tx.run(statements.lockRecipient, [`${schema}:digest:${request.userId}`]);
        if ((await tx.run(statements.digestExists, [request.dedupeKey])).rows.length > 0) return undefined;
        const { rows } = await tx.run<BatchRow>(statements.digestBatch, [request.userId, request.periodEnd, request.maxItems]);
        const first = rows[0];
        if (first === undefined) return undefined;
        const totalCount = Number(first.total_count);
        const digest = request.build({
          listed: rows.map((row) => NOTIFICATIONS.fromRow(row)),
          totalCount,
          oldestCreatedAt: first.oldest_created_at,
        });
        const { notification, created } = await insertNotification(tx, statements, { ...digest, dedupeKey: request.dedupeKey });
        if (!created) return undefined;
        const marked = await tx.run(statements.markDigested, [request.userId, request.periodEnd, notification.id]);
        if (marked.count !== totalCount) throw new BatchChanged();
        return notification;
      });
    } catch (error) {
      if (!(error instanceof BatchChanged)) throw error;
      if (attempt === ATTEMPTS) {
        throw new PostgresError(
          'POSTGRES.CONFLICT',
          `Digest items for user "${request.userId}" kept arriving while their digest was made (${ATTEMPTS} tries); the next digest run will try again.`,
        );
      }
    }
  }
}
