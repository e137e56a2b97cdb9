import { pendingNotification, type AddResult, type NewNotification } from '@mailroom/domain';
import { ADD_PARAMS, type NotificationStatements } from './notification-statements';
import { PostgresError } from './postgres-errors';
import type { Sql } from './sql-runner';
import { NOTIFICATIONS, type NotificationRow } from './tables';

/** Adds one notification under its rules (its id already checked); with its dedupe key already taken, returns the first one. */
export async function insertNotification(sql: Sql, statements: NotificationStatements, n: NewNotification): Promise<AddResult> {
  const values = ADD_PARAMS.one({ ...pendingNotification(n), rules: n.rules });
  // Twice at most: when the first holder of the key rolled back between the conflict and the read, the key is free.
  for (let attempt = 0; attempt < 2; attempt++) {
    const inserted = await sql.run<NotificationRow>(statements.add, values);
    if (inserted.rows[0] !== undefined) return { notification: NOTIFICATIONS.fromRow(inserted.rows[0]), created: true };
    const first = await sql.run<NotificationRow>(statements.byDedupeKey, [n.dedupeKey]);
    if (first.rows[0] !== undefined) return { notification: NOTIFICATIONS.fromRow(first.rows[0]), created: false };
  }
  throw new PostgresError(
    'POSTGRES.CONFLICT',
    `The dedupe key "${n.dedupeKey}" was taken and freed again twice while adding; add the notification again.`,
  );
}
