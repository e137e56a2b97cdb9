import { TOKENS } from '@mailroom/app';
import { DIGEST_KIND, digestPayload, digestPeriodEnd, pendingNotification, recipient, type Notification } from '@mailroom/domain';
import { benchMailroom } from '../bench-mailroom';
import { connect, dropSchema, freshSchema, seedSubscribers } from '../database';
import type { Figure } from '../figure';
import { KIND, payload, recipientInput, toNodemailerMessage } from '../mails';
import { sendRaw } from '../raw-sender';
import { Sink } from '../sink-client';

const TOPIC = 'bench:digest';
const POOL_SIZE = 3;
const INTERVAL_MINUTES = 60; // the product's default
const WARM_UP = 200;

/**
 * Digest: R recipients with 20 pending items each; one digest run (a digest mail per recipient, made in the
 * database) and its delivery until the sink accepted every digest. Baseline: the same digests built, rendered
 * and sent from memory with raw pooled nodemailer.
 */
export const digest: Figure = async ({ databaseUrl, quick }) => {
  const recipients = quick ? 1000 : 10_000;
  const itemsEach = 20;
  const sink = await Sink.start();
  const schema = freshSchema('digest');
  const mailroom = await benchMailroom({ url: databaseUrl, schema, smtpPort: sink.port, smtpPoolSize: POOL_SIZE });
  const sql = await connect(databaseUrl);
  try {
    await seedSubscribers(sql, schema, TOPIC, recipients, 'digest');
    for (let j = 0; j < itemsEach; j++) await mailroom.publish(TOPIC, KIND, payload(j));
    // Into the last completed period, so the run at start covers them.
    await sql.query(`UPDATE "${schema}".notifications SET created_at = created_at - interval '2 hours'`);
    await sql.query(`VACUUM ANALYZE "${schema}".notifications`);

    // The same digests, from memory.
    const periodEnd = digestPeriodEnd(new Date(), INTERVAL_MINUTES);
    const itemsAt = new Date(Date.now() - 2 * 3600_000);
    const deliverDue = mailroom.container.get(TOKENS.DeliverDue);
    const digestOf = (i: number): Notification => {
      const to = recipient(recipientInput(i));
      const listed: Notification[] = [];
      for (let j = itemsEach - 1; j >= 0; j--) {
        listed.push(
          pendingNotification({
            id: crypto.randomUUID(),
            kind: KIND,
            recipient: to,
            topic: TOPIC,
            payload: payload(j) as unknown as Record<string, unknown>,
            delivery: 'digest',
            createdAt: new Date(itemsAt.getTime() + j),
          }),
        );
      }
      const body = digestPayload(
        { listed, totalCount: itemsEach, oldestCreatedAt: listed[listed.length - 1]!.createdAt },
        periodEnd,
        INTERVAL_MINUTES,
      );
      return pendingNotification({
        id: crypto.randomUUID(),
        kind: DIGEST_KIND,
        recipient: to,
        payload: body as unknown as Record<string, unknown>,
        delivery: 'immediate',
        createdAt: new Date(),
      });
    };
    const digests = Array.from({ length: recipients + WARM_UP }, (_, i) => digestOf(i % recipients));
    async function* rendered(from: number, to: number) {
      for (let i = from; i < to; i++) yield toNodemailerMessage(await deliverDue.compose(digests[i]!));
    }
    await sendRaw(sink.port, POOL_SIZE, rendered(recipients, recipients + WARM_UP));
    await sink.accept(WARM_UP, 60_000);
    const rawStart = performance.now();
    const rawDone = sink.accept(recipients, 60_000 + recipients * 20);
    await sendRaw(sink.port, POOL_SIZE, rendered(0, recipients));
    await rawDone;
    const rawMs = performance.now() - rawStart;
    digests.length = 0;

    // The worker's digest scheduler runs at start; its inserts wake the delivery loop.
    const start = performance.now();
    const done = sink.accept(recipients, 60_000 + recipients * 50);
    mailroom.start();
    await done;
    const mailroomMs = performance.now() - start;
    await mailroom.stop(); // settles the last batch
    const { rows } = await sql.query(`SELECT count(*)::int AS c FROM "${schema}".notifications WHERE kind = $1 AND status = 'sent'`, [
      DIGEST_KIND,
    ]);
    if (rows[0].c < recipients) throw new Error(`only ${rows[0].c} digests were sent`);
    const rate = (recipients / mailroomMs) * 1000;
    const rawRate = (recipients / rawMs) * 1000;
    return [
      {
        figure: 'digest',
        what: `${recipients} recipients × ${itemsEach} items: digest run + delivery`,
        mailroom: Math.round(rate),
        baseline: Math.round(rawRate),
        unit: 'digests/s',
        ratio: rate / rawRate,
        target: '≥ 0.7×',
        met: rate / rawRate >= 0.7,
        notes: `from memory ${Math.round(rawMs)} ms, Mailroom ${Math.round(mailroomMs)} ms`,
      },
    ];
  } finally {
    await mailroom.stop();
    await sink.stop();
    await dropSchema(sql, schema).finally(() => sql.end());
  }
};
