import { suppressionKey, type Notification, type RecipientRules } from '@mailroom/domain';
import type { RequiredOnInsert } from './columns';
import { WAKEUP_CHANNEL } from './migrations';
import { CLAIM_PARAMS, DIGEST_PARAMS, SETTLEMENT_PARAMS } from './notification-params';
import { NOTIFICATIONS, PREFERENCES, SUBSCRIPTIONS, SUPPRESSIONS } from './tables';
import { FAN_OUT_COUNTER_DIGITS } from './uuid';

const COLUMNS = NOTIFICATIONS.select;

type FanOutValues = Record<RequiredOnInsert<typeof NOTIFICATIONS.columns>, string> &
  Partial<Record<keyof typeof NOTIFICATIONS.columns, string>>;

/**
 * As `applyRecipientRules`, in SQL: the recipient's `choice` (NULL when none) replaces the `requested` delivery when it
 * is immediate or digest; off skips unless `mandatory`; else an address on the suppression list (`listed`) is
 * recorded as suppressed.
 */
const decided = {
  delivery: (choice: string, requested: string) => `CASE WHEN ${choice} IN ('immediate', 'digest') THEN ${choice} ELSE ${requested} END`,
  status: (choice: string, mandatory: string, listed: string, otherwise: string) =>
    `CASE WHEN ${choice} = 'off' AND NOT ${mandatory} THEN 'skipped' WHEN ${listed} THEN 'suppressed' ELSE ${otherwise} END`,
};

/** The subscriber's choice for the kind: on this topic (`pt`), else on every topic (`pk`, topic ''), else none. */
const CHOICE = 'coalesce(pt.choice, pk.choice)';

/** A notification to add, with the rules the store applies as it adds (`NewNotification.rules`). */
export type RuledNotification = Notification & { readonly rules?: RecipientRules };

/** The parameters of `add` and `addMany`: the columns', then the rules (`ruled` false: the row is added as it is). */
export const ADD_PARAMS = NOTIFICATIONS.insertParams<RuledNotification>([
  { name: 'ruled', type: 'boolean', value: (n) => n.rules !== undefined },
  { name: 'mandatory', type: 'boolean', value: (n) => n.rules?.mandatory === true },
  { name: 'suppress', type: 'boolean', value: (n) => n.rules?.suppress === true },
  // The address as the suppression list holds it, folded here rather than by the database's lower().
  { name: 'suppression_key', type: 'text', value: (n) => suppressionKey(n.recipient.email.address) },
]);

/**
 * `add`'s insert: the choice and the suppression list are read in the same statement (`ch`, `sp`), so a notify costs
 * one round trip, shared with the notify calls that arrived with it.
 */
function addInsert(preferences: string, suppressions: string) {
  return NOTIFICATIONS.insertSelect(
    ADD_PARAMS,
    `LEFT JOIN LATERAL (
        SELECT p.choice FROM ${preferences} p
        WHERE v.ruled AND p.user_id = v.user_id AND p.kind = v.kind AND p.topic IN (coalesce(v.topic, ''), '')
        ORDER BY p.topic DESC LIMIT 1) ch ON true
      LEFT JOIN ${suppressions} sp ON v.suppress AND sp.address = v.suppression_key`,
    {
      delivery: decided.delivery('ch.choice', 'v.delivery'),
      status: decided.status('ch.choice', 'v.mandatory', 'sp.address IS NOT NULL', 'v.status'),
    },
  );
}

/**
 * What the fan-out writes into each column, in SQL, from the subscription `s`, the choices and the parameters. The
 * type asks for every column that has no default; the others start at their default, as with `insert`.
 */
function fanOutValues(): FanOutValues {
  return {
    // Ids are the prefix $6 (see fanOutIdPrefix) and the row's number.
    id: `($6 || lpad(to_hex(row_number() OVER (ORDER BY s.user_id)), ${FAN_OUT_COUNTER_DIGITS}, '0'))::uuid`,
    kind: '$2',
    user_id: 's.user_id',
    address: 's.address',
    display_name: 's.display_name',
    locale: 's.locale',
    time_zone: 's.time_zone',
    topic: 's.topic',
    payload: '$3::jsonb',
    delivery: decided.delivery(CHOICE, 's.delivery'),
    // Off skips unless the kind is mandatory ($7); the suppression list is joined only when $8.
    status: decided.status(CHOICE, '$7::boolean', 'sp.address IS NOT NULL', `'pending'`),
    next_attempt_at: '$4',
    dedupe_key: `$5::text || ':' || s.user_id`,
    created_at: '$4',
  };
}

/**
 * The notification store's SQL for one schema, built once. Each operation is one statement, so it is atomic on
 * its own and costs one round trip; only the digest step needs a transaction. Column lists, parameter types and
 * row shapes come from `NOTIFICATIONS`.
 */
export function notificationStatements(schema: string) {
  const n = `"${schema}".${NOTIFICATIONS.name}`;
  const subscriptions = `"${schema}".${SUBSCRIPTIONS.name}`;
  const preferences = `"${schema}".${PREFERENCES.name}`;
  const suppressions = `"${schema}".${SUPPRESSIONS.name}`;
  const fanOut = Object.entries(fanOutValues());
  const add = addInsert(preferences, suppressions);
  const onDedupeConflict = 'ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING';
  /** A row of status $1 that is old at cut-off $2 (see `purgeBatch`), as `o`. */
  const old = (o: string) => `
    ${o}.status = $1 AND ${o}.created_at < $2 AND ${o}.next_attempt_at < $2
    AND ($1 <> 'digested' OR ${o}.digest_id IS NULL
      OR NOT EXISTS (SELECT 1 FROM ${n} d WHERE d.id = ${o}.digest_id AND d.status IN ('pending', 'sending')))`;
  const digestItems = `user_id = $1 AND delivery = 'digest' AND status = 'pending' AND created_at < $2`;
  return {
    /** A new mail under its rules (`ADD_PARAMS.one`). With its dedupe key already present it returns no row. */
    add: `
      INSERT INTO ${n} ${add.one}
      ${onDedupeConflict}
      RETURNING ${COLUMNS}`,

    /**
     * Many new mails under their rules in one statement (`ADD_PARAMS.many`: notify calls that arrived together).
     * Returns the rows it inserted, as decided; a row whose dedupe key is taken (by an earlier row, or one earlier in
     * the batch) is skipped.
     */
    addMany: `
      INSERT INTO ${n} ${add.many}
      ${onDedupeConflict}
      RETURNING ${COLUMNS}`,

    /** Many new mails as they are, in one statement (`NOTIFICATIONS.inserts.many`: the digests of a digest run). */
    insertMany: `
      INSERT INTO ${n} ${NOTIFICATIONS.insertMany}
      ${onDedupeConflict}
      RETURNING id`,

    byDedupeKey: `SELECT ${COLUMNS} FROM ${n} WHERE dedupe_key = $1`,

    /**
     * The fan-out: subscribers never leave the database. Ordered so `seq` follows user ids, as in memory. The two
     * choices are looked up by their primary key (user, kind, topic), so few choices cost next to nothing.
     */
    fanOut: `
      INSERT INTO ${n} (${fanOut.map(([column]) => column).join(', ')})
      SELECT ${fanOut.map(([, value]) => value).join(', ')}
      FROM ${subscriptions} s
      LEFT JOIN ${preferences} pt ON pt.user_id = s.user_id AND pt.kind = $2 AND pt.topic = s.topic
      LEFT JOIN ${preferences} pk ON pk.user_id = s.user_id AND pk.kind = $2 AND pk.topic = ''
      LEFT JOIN ${suppressions} sp ON $8::boolean AND sp.address = lower(s.address)
      WHERE s.topic = $1
      ORDER BY s.user_id
      ${onDedupeConflict}`,

    /**
     * Locks due mails without waiting for rows other workers hold, leases them and counts the attempt, in one
     * statement (its own short transaction). A sending row whose lease ran out is due again; its
     * next_attempt_at is then necessarily <= now (it was due when claimed, before the lease began), which lets
     * both kinds share one index range.
     */
    claim: `
      WITH due AS MATERIALIZED (
        SELECT id FROM ${n}
        WHERE delivery = 'immediate' AND status IN ('pending', 'sending') AND next_attempt_at <= $1
          AND (status = 'pending' OR lease_until <= $1)
        ORDER BY next_attempt_at, created_at, seq
        LIMIT $2
        FOR UPDATE SKIP LOCKED
      ), claimed AS (
        UPDATE ${n} n SET status = 'sending', attempts = n.attempts + 1, claim_seq = n.claim_seq + 1, claimed_by = $4, lease_until = $3
        FROM due WHERE n.id = due.id
        RETURNING n.*
      )
      SELECT ${COLUMNS} FROM claimed ORDER BY next_attempt_at, created_at, seq`,

    /**
     * Every kind of settlement in one statement: one round trip per batch. `release` gives the attempt back;
     * a sent mail keeps an earlier error unless the settlement brings a note of its own.
     */
    settle: `
      UPDATE ${n} n SET
        status = CASE s.type WHEN 'sent' THEN 'sent' WHEN 'dead' THEN 'dead' ELSE 'pending' END,
        attempts = CASE s.type WHEN 'release' THEN greatest(n.attempts - 1, 0) ELSE n.attempts END,
        next_attempt_at = coalesce(s.next_attempt_at, n.next_attempt_at),
        lease_until = NULL,
        sent_at = coalesce(s.sent_at, n.sent_at),
        message_id = coalesce(s.message_id, n.message_id),
        last_error = coalesce(s.last_error, n.last_error)
      FROM ${SETTLEMENT_PARAMS.unnest('s')}
      WHERE n.id = s.id AND n.status = 'sending' AND n.claim_seq = s.claim_seq`,

    /** The heartbeat: a claim still held (sending, same claim) gets a new lease; returns the ids it kept. */
    extendLeases: `
      UPDATE ${n} n SET lease_until = $1
      FROM ${CLAIM_PARAMS.unnest('c', { first: 2 })}
      WHERE n.id = c.id AND n.status = 'sending' AND n.claim_seq = c.claim_seq
      RETURNING n.id`,

    /** '' sorts before every user id (they are never empty), so the first page needs no second statement. */
    digestRecipients: `
      SELECT DISTINCT user_id FROM ${n}
      WHERE delivery = 'digest' AND status = 'pending' AND created_at < $1 AND user_id > $3
      ORDER BY user_id
      LIMIT $2`,

    /** Serialises digest runs per recipient; the hash key may collide, which only serialises two recipients. */
    lockRecipient: `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`,

    digestExists: `SELECT 1 FROM ${n} WHERE dedupe_key = $1`,

    /**
     * The newest items to list, with the count and the oldest of all the digest covers. Items created at the same
     * moment (one transaction, a fake clock) come newest-added first by `seq`: ids are random, and would shuffle them.
     */
    digestBatch: `
      SELECT ${COLUMNS}, count(*) OVER () AS total_count, min(created_at) OVER () AS oldest_created_at
      FROM ${n}
      WHERE ${digestItems}
      ORDER BY created_at DESC, seq DESC
      LIMIT $3`,

    markDigested: `UPDATE ${n} SET status = 'digested', digest_id = $3 WHERE ${digestItems}`,

    /** The digest step for many recipients: each one's newest items (ties as in `digestBatch`), with its count and oldest, in one read. */
    digestBatches: `
      SELECT ${COLUMNS}, total_count, oldest_created_at FROM (
        SELECT ${COLUMNS},
               row_number() OVER (PARTITION BY user_id ORDER BY created_at DESC, seq DESC) AS rn,
               count(*) OVER (PARTITION BY user_id) AS total_count,
               min(created_at) OVER (PARTITION BY user_id) AS oldest_created_at
        FROM ${n}
        WHERE user_id = ANY($1::text[]) AND delivery = 'digest' AND status = 'pending' AND created_at < $2
      ) x
      WHERE rn <= $3
      ORDER BY user_id, rn`,

    /** Marks every covered item of each recipient whose digest was just added; returns a row per item marked. */
    markDigestedMany: `
      UPDATE ${n} n SET status = 'digested', digest_id = d.id
      FROM ${DIGEST_PARAMS.unnest('d', { first: 2 })}
      WHERE n.user_id = d.user_id AND n.delivery = 'digest' AND n.status = 'pending' AND n.created_at < $1
      RETURNING n.user_id`,

    retryDead: `UPDATE ${n} SET status = 'pending', attempts = 0, next_attempt_at = $2 WHERE id = ANY($1::uuid[]) AND status = 'dead'`,
    // One batch of a large retry, walking the ids in order: short row locks, one pass over the table.
    retryDeadBatch: `
      WITH batch AS (
        SELECT id FROM ${n} WHERE status = 'dead' AND ($1::uuid IS NULL OR id > $1::uuid)
        ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
      UPDATE ${n} n SET status = 'pending', attempts = 0, next_attempt_at = $3
      FROM batch WHERE n.id = batch.id
      RETURNING n.id`,
    /**
     * One batch of retention: old rows of a final status ($1) — created and last due before $2 — after the cursor
     * ($3, $4), oldest first, at most $5, locked and deleted in one statement. The range and the order come from
     * ix_notifications_created (created_at, id), walked on from the cursor, so a batch does not read again what the
     * ones before it read; no index of its own (measured in the README's Retention section, as is the case where the
     * status is rare among the old rows and PostgreSQL reads the table instead). Rows another transaction holds (an
     * admin's retry, another purge) are skipped. A digested item stays while its digest mail is pending or sending.
     * The cursor comes back cut to milliseconds, a Date's precision: never past the last row deleted.
     */
    purgeBatch: `
      WITH batch AS (
        SELECT id FROM ${n} o
        WHERE ${old('o')} AND (o.created_at, o.id) > ($3::timestamptz, $4::uuid)
        ORDER BY o.created_at, o.id
        LIMIT $5
        FOR UPDATE SKIP LOCKED
      )
      DELETE FROM ${n} n USING batch
      WHERE n.id = batch.id AND n.status = $1
      RETURNING date_trunc('milliseconds', n.created_at) AS created_at, n.id`,
    /** What every batch of `purgeBatch` would delete together, for a dry run. */
    countPurgeable: `SELECT count(*)::int AS count FROM ${n} o WHERE ${old('o')}`,

    /** Retried mails are due now; inserts wake workers through the trigger, updates do not. */
    wake: `SELECT pg_notify('${WAKEUP_CHANNEL}', '${schema}')`,

    get: `SELECT ${COLUMNS} FROM ${n} WHERE id = $1`,
    /** `where` is built from the query's filters; the anchor continues after `afterId` (keyset paging). */
    find: (where: string, afterParam: string, limitParam: string) => `
      WITH anchor AS (SELECT created_at, id FROM ${n} WHERE id = ${afterParam} AND ${where})
      SELECT ${COLUMNS} FROM ${n}
      WHERE ${where}
        AND (NOT EXISTS (SELECT 1 FROM anchor) OR (created_at, id) < (SELECT created_at, id FROM anchor))
      ORDER BY created_at DESC, id DESC
      LIMIT ${limitParam}`,
    countByStatus: `SELECT status, count(*)::int AS count FROM ${n} GROUP BY status`,
    nextDueAt: `SELECT min(next_attempt_at) AS at FROM ${n} WHERE delivery = 'immediate' AND status = 'pending'`,
    oldestPendingAt: `SELECT min(created_at) AS at FROM ${n} WHERE delivery = 'immediate' AND status IN ('pending', 'sending')`,
    /**
     * Each part reads one partial index: the due mails' (whose rows it visits, as many as wait), the digest items'
     * and the dead letters' (counted from the index alone). Never the whole table, however much was sent.
     */
    backlog: `
      SELECT w.pending, w.sending, w.oldest,
        (SELECT count(*)::int FROM ${n} WHERE status = 'dead') AS dead,
        (SELECT count(*)::int FROM ${n} WHERE delivery = 'digest' AND status = 'pending') AS digest_items
      FROM (
        SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'sending')::int AS sending,
               min(created_at) AS oldest
        FROM ${n} WHERE delivery = 'immediate' AND status IN ('pending', 'sending')
      ) w`,
  };
}

export type NotificationStatements = ReturnType<typeof notificationStatements>;
