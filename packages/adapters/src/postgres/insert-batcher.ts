import { pendingNotification, type AddResult, type NewNotification } from '@mailroom/domain';
import { isUnavailable } from './database-unavailable';
import { insertNotification } from './insert-notification';
import { ADD_PARAMS, type NotificationStatements } from './notification-statements';
import type { SqlRunner } from './sql-runner';
import { NOTIFICATIONS, type NotificationRow } from './tables';

interface Waiting {
  readonly notification: NewNotification;
  readonly resolve: (result: AddResult) => void;
  readonly reject: (error: unknown) => void;
}

/** More in one statement would make a host's request wait on a long insert; fewer would cost round trips. */
const MAX_BATCH = 500;

/**
 * Group commit for `add`: notifications added in the same turn of the event loop (a host's request handlers
 * calling notify at once) go into the database as one multi-row INSERT, one round trip instead of one each.
 * Every caller still gets its own row back only once it is committed. A batch the database refuses is retried
 * row by row, so one bad notification fails alone.
 */
export class InsertBatcher {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly sql: SqlRunner,
    private readonly statements: NotificationStatements,
  ) {}

  add(notification: NewNotification): Promise<AddResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ notification, resolve, reject });
      if (this.waiting.length >= MAX_BATCH) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    if (batch.length === 1) {
      const [one] = batch;
      insertNotification(this.sql, this.statements, one!.notification).then(one!.resolve, one!.reject);
      return;
    }
    this.insertMany(batch).catch((error: unknown) => {
      // The database is away: every caller hears so now (one by one, each would wait out the timeout again).
      if (isUnavailable(error)) for (const w of batch) w.reject(error);
      // Which row the database refused is unknown: each goes again alone and gets its own answer.
      else for (const w of batch) insertNotification(this.sql, this.statements, w.notification).then(w.resolve, w.reject);
    });
  }

  private async insertMany(batch: readonly Waiting[]): Promise<void> {
    const pending = batch.map((w) => ({ ...pendingNotification(w.notification), rules: w.notification.rules }));
    const { rows } = await this.sql.run<NotificationRow>(this.statements.addMany, ADD_PARAMS.many(pending));
    const inserted = new Map(rows.map((row) => [row.id, row]));
    for (const w of batch) {
      const row = inserted.get(w.notification.id);
      if (row !== undefined) w.resolve({ notification: NOTIFICATIONS.fromRow(row), created: true });
      // Its dedupe key was taken: the single-row path returns the first holder (and covers a holder that rolled back).
      else insertNotification(this.sql, this.statements, w.notification).then(w.resolve, w.reject);
    }
  }
}
