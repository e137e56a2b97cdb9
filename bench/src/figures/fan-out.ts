import { benchMailroom } from '../bench-mailroom';
import { median } from '../concurrently';
import { connect, dropSchema, freshSchema, seedSubscribers } from '../database';
import type { Figure } from '../figure';
import { KIND, payload } from '../mails';

const TOPIC = 'bench:fan-out';
const COLUMNS =
  'id, kind, user_id, address, display_name, locale, time_zone, topic, payload, delivery, status, attempts, next_attempt_at, dedupe_key, created_at';

/**
 * Fan-out: `publish` to a topic of N subscribers until the publish returns (every row committed), against one
 * bare `INSERT … SELECT` of the same rows (same ids scheme, same values) into a copy of the outbox table with the
 * same columns, constraints and indexes but no trigger and no conflict clause. An unindexed copy is shown too.
 * Rounds alternate which goes first; the median counts.
 */
export const fanOut: Figure = async ({ databaseUrl, quick }) => {
  const n = quick ? 10_000 : 100_000;
  const rounds = quick ? 2 : 3;
  const schema = freshSchema('fan-out');
  // No sends here; the SMTP port is never dialled.
  const mailroom = await benchMailroom({ url: databaseUrl, schema, smtpPort: 9, smtpPoolSize: 3 });
  const sql = await connect(databaseUrl);
  try {
    await seedSubscribers(sql, schema, TOPIC, n, 'immediate');
    await sql.query(`CREATE TABLE "${schema}".same_shape (LIKE "${schema}".notifications INCLUDING ALL)`);
    await sql.query(`CREATE TABLE "${schema}".unindexed (LIKE "${schema}".notifications INCLUDING DEFAULTS)`);
    const bare = (table: string) => `
      INSERT INTO "${schema}".${table} (${COLUMNS})
      SELECT ($6 || lpad(to_hex(row_number() OVER (ORDER BY s.user_id)), 7, '0'))::uuid, $2, s.user_id, s.address, s.display_name, s.locale, s.time_zone, s.topic, $3::jsonb,
             s.delivery, 'pending', 0, $4, $5::text || ':' || s.user_id, $4
      FROM "${schema}".subscriptions s WHERE s.topic = $1 ORDER BY s.user_id`;
    const event = payload(1);
    const time = async (work: () => Promise<unknown>) => {
      const t = performance.now();
      await work();
      return performance.now() - t;
    };
    const bareParams = () => [TOPIC, KIND, JSON.stringify(event), new Date(), null, prefix()];
    const publishMs: number[] = [];
    const sameShapeMs: number[] = [];
    const unindexedMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await sql.query(`TRUNCATE "${schema}".notifications, "${schema}".same_shape, "${schema}".unindexed`);
      await sql.query('CHECKPOINT').catch(() => undefined); // not every role may; it only steadies the figures
      const runPublish = async () => {
        const ms = await time(() => mailroom.publish(TOPIC, KIND, event));
        publishMs.push(ms);
      };
      const runBare = async () => {
        sameShapeMs.push(await time(() => sql.query(bare('same_shape'), bareParams())));
      };
      if (round % 2 === 0) {
        await runBare();
        await runPublish();
      } else {
        await runPublish();
        await runBare();
      }
      unindexedMs.push(await time(() => sql.query(bare('unindexed'), bareParams())));
    }
    const { rows } = await sql.query(`SELECT count(*)::int AS c FROM "${schema}".notifications`);
    if (rows[0].c !== n) throw new Error(`publish added ${rows[0].c} rows, not ${n}`);
    const m = median(publishMs);
    const base = median(sameShapeMs);
    return [
      {
        figure: 'fan-out',
        what: `publish to ${n} subscribers vs bare INSERT…SELECT, same table shape`,
        mailroom: Math.round(m),
        baseline: Math.round(base),
        unit: 'ms',
        ratio: m / base,
        target: '≤ 1.5× its time',
        met: m / base <= 1.5,
        notes: `median of ${rounds}; publish ${publishMs.map(Math.round).join('/')} ms, same shape ${sameShapeMs.map(Math.round).join('/')} ms, unindexed copy ${unindexedMs.map(Math.round).join('/')} ms`,
      },
    ];
  } finally {
    await mailroom.stop();
    await dropSchema(sql, schema).finally(() => sql.end());
  }
};

/** The same id scheme as the adapter's fan-out (UUIDv7 prefix + row number), so both index the same way. */
function prefix(): string {
  const hex = (k: number) => Array.from({ length: k }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return `${Date.now().toString(16).padStart(12, '0')}7${hex(3)}${(8 + Math.floor(Math.random() * 4)).toString(16)}${hex(8)}`;
}
