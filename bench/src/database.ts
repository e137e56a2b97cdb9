import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A pg client on the benchmark's database, for setup and baselines (never for what Mailroom itself does). */
export async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: 'mailroom-bench' });
  await client.connect();
  return client;
}

export function freshSchema(figure: string): string {
  return `bench_${figure.replace(/-/g, '_')}_${randomBytes(3).toString('hex')}`;
}

/** `count` subscribers of `topic`, made in the database (setup, not measured). */
export async function seedSubscribers(
  sql: Client,
  schema: string,
  topic: string,
  count: number,
  delivery: 'immediate' | 'digest',
): Promise<void> {
  await sql.query(
    `INSERT INTO "${schema}".subscriptions (topic, user_id, address, display_name, locale, time_zone, delivery, created_at)
     SELECT $1, 'u' || lpad(g::text, 7, '0'), 'user' || g || '@bench.example.test', 'Bench User ' || g, NULL, NULL, $2, now()
     FROM generate_series(0, $3::int - 1) g`,
    [topic, delivery, count],
  );
  await sql.query(`ANALYZE "${schema}".subscriptions`);
}

export async function dropSchema(sql: Client, schema: string): Promise<void> {
  await sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
