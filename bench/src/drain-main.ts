import { benchMailroom } from './bench-mailroom';
import { connect, freshSchema, seedSubscribers } from './database';
import { KIND, payload } from './mails';
import { Sink } from './sink-client';

/**
 * One memory sample, in a fresh process: a backlog of N immediate mails (made by a fan-out inside the database),
 * then the worker drains it into the sink. Reports this process's peak RSS and how long the drain took.
 */
async function main(): Promise<void> {
  const n = Number(process.argv[2]);
  const databaseUrl = process.env.BENCH_DATABASE_URL!;
  const sink = await Sink.start();
  const schema = freshSchema('memory');
  const mailroom = await benchMailroom({ url: databaseUrl, schema, smtpPort: sink.port, smtpPoolSize: 3 });
  const sql = await connect(databaseUrl);
  try {
    await seedSubscribers(sql, schema, 'bench:backlog', n, 'immediate');
    const added = await mailroom.publish('bench:backlog', KIND, payload(1));
    if (added !== n) throw new Error(`backlog of ${added}, not ${n}`);
    const rssBefore = process.memoryUsage().rss;
    const t = performance.now();
    const drained = sink.accept(n, 60_000 + n * 20);
    mailroom.start();
    await drained;
    const ms = performance.now() - t;
    const result = { n, maxRssKb: process.resourceUsage().maxRSS, rssBeforeKb: Math.round(rssBefore / 1024), ms };
    await new Promise<void>((resolve) => process.send!({ type: 'drained', result }, () => resolve()));
  } finally {
    await mailroom.stop();
    await sink.stop();
    await sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => sql.end());
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
