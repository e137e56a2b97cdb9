import { randomUUID } from 'node:crypto';
import { createMailroomDataSource, ManualClock, migrate, PostgresNotificationStore, SystemTimers } from '@mailroom/adapters';
import {
  DEFAULT_RETENTION,
  KNOWN_KINDS,
  PurgeOldNotifications,
  recipient,
  type KnownKind,
  type NewNotification,
  type Notification,
} from '@mailroom/domain';
import type { Client } from 'pg';
import { connect, dropSchema, freshSchema } from './database';

/*
 * What a mail costs in the outbox, and what retention's purge statement costs: `pnpm bench:retention` (system
 * PostgreSQL on 127.0.0.1:5432, or BENCH_DATABASE_URL; ROWS=100000 by default). Not part of `pnpm bench`: it measures
 * bytes, not speed, and the README's Retention section quotes it.
 *
 * 1. Inserts ROWS notifications of the six built-in kinds (payloads like the built-in samples, every row a little
 *    different: ids, names, counts) through PostgresNotificationStore, created over DAYS days, then claims and
 *    settles them as sent, as delivery does — so each row is as a sent mail leaves it (claimed_by, sent_at,
 *    message_id) and went through the same three writes.
 * 2. Measures pg_total_relation_size (heap + TOAST + every index) before and after, after a plain VACUUM (the space
 *    of the rows' old versions is free for reuse but still in the files, as in a table that lives) and after VACUUM
 *    FULL (the rows alone); per mail = the growth / ROWS, with the heap, TOAST and index parts.
 * 3. EXPLAIN (ANALYZE, BUFFERS) of one purge batch of 1 000 over that table, and the whole purge of the rows older
 *    than 30 days in batches of 1 000, timed.
 * 4. A table that lives (`simulate`): day after day of mails with retention (sent kept 30 days) and without, plain
 *    VACUUM every other day: the size per row kept once space is reused. MODES=measure,keep30,forever,sparse picks parts (the default: all but sparse).
 */

const ROWS = Number(process.env.ROWS ?? 100_000);
const DAYS = Number(process.env.DAYS ?? 100);
const DAY = 24 * 60 * 60_000;
const URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const FIRST = ['Ada', 'Grace', 'Alan', 'Barbara', 'Edsger', 'Frances', 'Donald', 'Margaret', 'Niklaus', 'Radia'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Liskov', 'Dijkstra', 'Allen', 'Knuth', 'Hamilton', 'Wirth', 'Perlman'];

/** A payload of `kind` like the built-in samples (packages/adapters/src/templates/built-in/samples.ts), varied by `i`. */
function payload(kind: KnownKind, i: number): Record<string, unknown> {
  const name = `${FIRST[i % 10]} ${LAST[(i >> 3) % 10]}`;
  switch (kind) {
    case 'user-invite':
      return {
        inviterName: name,
        accountName: 'Contoso Ltd',
        acceptLinkPath: `/invites/${randomUUID()}`,
        expiresAt: '2026-12-01T09:00:00Z',
      };
    case 'query-results-changed':
      return {
        queryId: String(i % 500),
        queryName: `Leavers with access #${i % 500}`,
        rowsAdded: i % 7,
        rowsRemoved: i % 3,
        totalRows: 100 + (i % 400),
        linkPath: `/queries/${i % 500}`,
      };
    case 'import-failed':
      return {
        connectorId: `hr-feed-${i % 20}`,
        connectorName: `HR feed ${i % 20}`,
        startedAt: '2026-12-01T08:00:00Z',
        failedAt: '2026-12-01T08:05:00Z',
        errorSummary: `Row ${i % 1000}: unknown department\nRow ${(i % 1000) + 1}: missing e-mail`,
        linkPath: `/connectors/hr-feed-${i % 20}/runs/${i}`,
      };
    case 'access-review-requested':
      return {
        reviewId: `r${i}`,
        reviewName: `Finance Q${(i % 4) + 1} access review`,
        dueDate: '2026-12-15',
        itemCount: i % 60,
        linkPath: `/reviews/r${i}`,
      };
    case 'change-request':
      return {
        requestId: String(i),
        title: `Move ${name} to Marketing`,
        requester: name,
        changes: [
          { field: 'Department', from: 'Sales', to: 'Marketing' },
          { field: 'Cost centre', to: String(4700 + (i % 100)) },
        ],
        ticketReference: `CR-${i}`,
        linkPath: `/change-requests/${i}`,
      };
    case 'workflow-task-assigned':
      return {
        taskId: `t${i}`,
        taskName: 'Approve access',
        workflowName: 'Joiner',
        assigneeName: name,
        dueDate: '2026-12-02T17:00:00Z',
        linkPath: `/tasks/t${i}`,
      };
  }
}

function notification(i: number, createdAt: Date): NewNotification {
  const kind = KNOWN_KINDS[i % KNOWN_KINDS.length]!;
  const first = FIRST[i % 10]!;
  const last = LAST[(i >> 3) % 10]!;
  return {
    id: randomUUID(),
    kind,
    recipient: recipient({
      userId: `u${String(i % 20_000).padStart(7, '0')}`,
      address: `${first.toLowerCase()}.${last.toLowerCase()}${i % 20_000}@contoso.com`,
      name: `${first} ${last}`,
      ...(i % 3 === 0 ? { locale: 'de-CH', timeZone: 'Europe/Zurich' } : {}),
    }),
    ...(kind === 'query-results-changed'
      ? { topic: `query:${i % 500}` }
      : kind === 'import-failed'
        ? { topic: `connector:hr-feed-${i % 20}` }
        : {}),
    payload: payload(kind, i),
    delivery: 'immediate',
    // One in five with a dedupe key (an invitation, say), as hosts that make notify idempotent give one.
    ...(i % 5 === 0 ? { dedupeKey: `${kind}:${randomUUID()}` } : {}),
    createdAt,
  };
}

interface Sizes {
  readonly total: number;
  readonly heap: number;
  readonly toast: number;
  readonly indexes: number;
}

async function sizes(sql: Client, schema: string): Promise<Sizes> {
  const { rows } = await sql.query<{ total: string; heap: string; toast: string; indexes: string }>(
    `SELECT pg_total_relation_size(c.oid) AS total,
            pg_relation_size(c.oid) AS heap,
            coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0) AS toast,
            pg_indexes_size(c.oid) AS indexes
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relname = 'notifications'`,
    [schema],
  );
  const r = rows[0]!;
  return { total: Number(r.total), heap: Number(r.heap), toast: Number(r.toast), indexes: Number(r.indexes) };
}

function perMail(after: Sizes, before: Sizes, rows: number): Record<keyof Sizes, number> {
  const per = (k: keyof Sizes) => Math.round((after[k] - before[k]) / rows);
  return { total: per('total'), heap: per('heap'), toast: per('toast'), indexes: per('indexes') };
}

/**
 * Claims and settles every due mail as sent, 1 000 at a time, as delivery does (sent 1.5 s after it was made); with
 * `deadEvery`, one mail in 1 000 (its user id ends in 000) dies instead, as a mailbox that does not exist.
 */
async function sendAll(store: PostgresNotificationStore, now: Date, deadEvery = false): Promise<void> {
  let claimed: Notification[];
  do {
    claimed = await store.claimDue({ now, limit: 1000, leaseMs: 60_000, owner: 'bench-host/4242/ab12' });
    await store.settle(
      claimed.map((n) => {
        const at = new Date(n.createdAt.getTime() + 1500);
        return deadEvery && n.recipient.userId.endsWith('000')
          ? {
              type: 'dead' as const,
              id: n.id,
              claim: n.claim,
              at,
              error: { code: 'SEND.PERMANENT', message: '550 5.1.1 User unknown', responseCode: 550 },
            }
          : { type: 'sent' as const, id: n.id, claim: n.claim, at, messageId: `${n.id}@contoso.com` };
      }),
    );
  } while (claimed.length > 0);
}

/** Adds `count` mails through the store's batched inserts, the i-th made at `createdAt(i)`. */
async function addAll(store: PostgresNotificationStore, first: number, count: number, createdAt: (i: number) => Date): Promise<void> {
  for (let start = first; start < first + count; start += 1000) {
    const n = Math.min(1000, first + count - start);
    await Promise.all(Array.from({ length: n }, (_, k) => store.add(notification(start + k, createdAt(start + k)))));
  }
}

/** A fresh migrated schema with a store on it, dropped after `work`. */
async function withSchema<T>(
  sql: Client,
  name: string,
  work: (store: PostgresNotificationStore, schema: string) => Promise<T>,
): Promise<T> {
  const schema = freshSchema(name);
  const dataSource = createMailroomDataSource({ url: URL, schema, poolSize: 8, applicationName: 'mailroom-bench' });
  await dataSource.initialize();
  try {
    await migrate(dataSource, { schema });
    return await work(new PostgresNotificationStore(dataSource, { schema, queryTimeoutMs: 120_000 }), schema);
  } finally {
    await dataSource.destroy();
    await dropSchema(sql, schema);
  }
}

/** 1–3 of the header: bytes per mail, the purge statement's plan and the purge of what is older than 30 days. */
async function measure(sql: Client): Promise<unknown> {
  return withSchema(sql, 'retention', async (store, schema) => {
    const before = await sizes(sql, schema);
    const now = Date.now();
    let t = Date.now();
    // Spread over DAYS days, oldest first.
    await addAll(store, 0, ROWS, (i) => new Date(now - DAYS * DAY + Math.floor((i * DAYS * DAY) / ROWS)));
    const insertMs = Date.now() - t;
    t = Date.now();
    await sendAll(store, new Date(now));
    const sendMs = Date.now() - t;
    await sql.query(`VACUUM ANALYZE "${schema}".notifications`);
    const lived = await sizes(sql, schema);

    const cutoff = new Date(now - 30 * DAY);
    // The store's own statement text (a private field: the bench reads what the store runs, no copy of its SQL).
    const purgeSql = (store as unknown as { statements: { purgeBatch: string } }).statements.purgeBatch;
    await sql.query('BEGIN'); // EXPLAIN ANALYZE runs the delete: rolled back
    const plan = await sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${purgeSql}`, [
      'sent',
      cutoff,
      '-infinity',
      '00000000-0000-0000-0000-000000000000',
      1000,
    ]);
    await sql.query('ROLLBACK');
    await sql.query(`VACUUM FULL "${schema}".notifications`);
    const compact = await sizes(sql, schema);

    t = Date.now();
    const batchMs: number[] = [];
    let purged = 0;
    let after: { createdAt: Date; id: string } | undefined;
    for (;;) {
      const b0 = Date.now();
      const batch = await store.purgeBatch({ status: 'sent', before: cutoff, limit: 1000, ...(after ? { after } : {}) });
      batchMs.push(Date.now() - b0);
      purged += batch.count;
      if (batch.count < 1000 || !batch.last) break;
      after = batch.last;
    }
    const purgeMs = Date.now() - t;
    batchMs.sort((a, b) => a - b);
    return {
      rows: ROWS,
      spreadOverDays: DAYS,
      insertMs,
      claimAndSettleMs: sendMs,
      emptyTable: before,
      bytesPerMail: { asWritten: perMail(lived, before, ROWS), compact: perMail(compact, before, ROWS) },
      purgePlan: plan.rows.map((r) => r['QUERY PLAN']),
      purge: {
        rows: purged,
        statements: batchMs.length,
        ms: purgeMs,
        statementMsMedian: batchMs[Math.floor(batchMs.length / 2)],
        statementMsMax: batchMs.at(-1),
      },
    };
  });
}

/**
 * A table that lives: SIM_DAYS days of PER_DAY mails each, sent as delivery sends them; each day retention purges
 * (keeping sent mail `keepDays`, 0: forever) and every second day a plain VACUUM runs, as autovacuum would at its
 * default 20 % threshold at this rate. At the end: the table's size per row it holds.
 */
async function simulate(sql: Client, keepDays: number): Promise<unknown> {
  const simDays = Number(process.env.SIM_DAYS ?? 60);
  const perDay = Number(process.env.PER_DAY ?? 2000);
  return withSchema(sql, `retention_sim_${keepDays}`, async (store, schema) => {
    const before = await sizes(sql, schema);
    const start = Date.now() - simDays * DAY;
    const clock = new ManualClock(new Date(start));
    const retention = new PurgeOldNotifications(
      store,
      { tryRun: async (_job, work) => ({ ran: true, result: await work() }) },
      clock,
      new SystemTimers(),
      { ...DEFAULT_RETENTION, days: { ...DEFAULT_RETENTION.days, sent: keepDays }, pauseMs: 0 },
    );
    let purged = 0;
    for (let day = 0; day < simDays; day++) {
      const dayStart = start + day * DAY;
      await addAll(store, day * perDay, perDay, (i) => new Date(dayStart + Math.floor(((i - day * perDay) * DAY) / perDay)));
      clock.set(new Date(dayStart + DAY));
      await sendAll(store, clock.now());
      purged += (await retention.run()).total;
      if (day % 2 === 1) await sql.query(`VACUUM "${schema}".notifications`);
    }
    const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".notifications`);
    const after = await sizes(sql, schema);
    return { keepDays, simDays, perDay, rowsKept: rows[0]!.n, purged, size: after, bytesPerRowKept: perMail(after, before, rows[0]!.n) };
  });
}

/**
 * The purge's worst case: a status whose rows are few among many kept ones (sent kept forever, dead letters purged
 * after a day): ix_notifications_created gives the range, each row in it is read to check its status.
 */
async function sparse(sql: Client): Promise<unknown> {
  return withSchema(sql, 'retention_sparse', async (store, schema) => {
    const now = Date.now();
    await addAll(store, 0, ROWS, (i) => new Date(now - DAYS * DAY + Math.floor((i * DAYS * DAY) / ROWS)));
    await sendAll(store, new Date(now), true);
    await sql.query(`VACUUM ANALYZE "${schema}".notifications`);
    const days = { sent: 0, digested: 0, skipped: 0, suppressed: 0, dead: 1 };
    const retention = new PurgeOldNotifications(
      store,
      { tryRun: async (_job, work) => ({ ran: true, result: await work() }) },
      new ManualClock(new Date(now)),
      new SystemTimers(),
      { ...DEFAULT_RETENTION, days, pauseMs: 0 },
    );
    const purgeSql = (store as unknown as { statements: { purgeBatch: string } }).statements.purgeBatch;
    await sql.query('BEGIN');
    const plan = await sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${purgeSql}`, [
      'dead',
      new Date(now - DAY),
      '-infinity',
      '00000000-0000-0000-0000-000000000000',
      1000,
    ]);
    await sql.query('ROLLBACK');
    const t = Date.now();
    const report = await retention.run();
    return {
      rows: ROWS,
      dead: report.purged.dead,
      statements: report.batches,
      ms: Date.now() - t,
      plan: plan.rows.map((r) => r['QUERY PLAN']),
    };
  });
}

async function main(): Promise<void> {
  const sql = await connect(URL);
  try {
    const { rows } = await sql.query<{ server_version: string }>('SHOW server_version');
    const modes = (process.env.MODES ?? 'measure,keep30,forever').split(',');
    const result: Record<string, unknown> = { postgres: rows[0]!.server_version };
    if (modes.includes('measure')) result.measure = await measure(sql);
    if (modes.includes('keep30')) result.withRetention = await simulate(sql, 30);
    if (modes.includes('forever')) result.withoutRetention = await simulate(sql, 0);
    if (modes.includes('sparse')) result.sparse = await sparse(sql);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await sql.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
