import { TOKENS } from '@mailroom/app';
import { benchMailroom } from '../bench-mailroom';
import { concurrently } from '../concurrently';
import { connect, dropSchema, freshSchema } from '../database';
import type { Figure } from '../figure';
import { notification, pendingImmediate, toNodemailerMessage } from '../mails';
import { sendRaw } from '../raw-sender';
import { Sink } from '../sink-client';

const POOL_SIZE = 3; // the product's default SMTP pool
const NOTIFY_CONCURRENCY = 8; // request handlers of a host calling notify at once
const WARM_UP = 500;

/**
 * End-to-end delivery: N immediate notifications from `notify` until the sink accepted them all (outbox row
 * committed, claimed, rendered, sent, settled), against raw pooled nodemailer sending the same rendered mails.
 */
export const delivery: Figure = async ({ databaseUrl, quick }) => {
  const n = quick ? 2000 : 20_000;
  const timeoutMs = 60_000 + n * 10;
  const sink = await Sink.start();
  const schema = freshSchema('delivery');
  const mailroom = await benchMailroom({ url: databaseUrl, schema, smtpPort: sink.port, smtpPoolSize: POOL_SIZE });
  try {
    // The same mails Mailroom will send, rendered by Mailroom's own compose step before the clock starts.
    const deliverDue = mailroom.container.get(TOKENS.DeliverDue);
    const messages: Record<string, unknown>[] = [];
    for (let i = 0; i < n + WARM_UP; i++) messages.push(toNodemailerMessage(await deliverDue.compose(pendingImmediate(i))));

    await sendRaw(sink.port, POOL_SIZE, messages.slice(0, WARM_UP));
    await sink.accept(WARM_UP, timeoutMs);
    const rawCpu = process.cpuUsage();
    const rawStart = performance.now();
    const rawDone = sink.accept(n, timeoutMs);
    await sendRaw(sink.port, POOL_SIZE, messages.slice(WARM_UP));
    await rawDone;
    const rawMs = performance.now() - rawStart;
    const rawCpuMs = cpuMs(process.cpuUsage(rawCpu));
    messages.length = 0;

    mailroom.start();
    const warm = sink.accept(WARM_UP, timeoutMs);
    await concurrently(WARM_UP, NOTIFY_CONCURRENCY, (i) => mailroom.notify(notification(n + i)));
    await warm;
    const cpu = process.cpuUsage();
    const start = performance.now();
    const done = sink.accept(n, timeoutMs);
    await concurrently(n, NOTIFY_CONCURRENCY, (i) => mailroom.notify(notification(i)));
    const notifiedMs = performance.now() - start;
    await done;
    const mailroomMs = performance.now() - start;
    const mailroomCpuMs = cpuMs(process.cpuUsage(cpu));

    const rawRate = (n / rawMs) * 1000;
    const rate = (n / mailroomMs) * 1000;
    return [
      {
        figure: 'delivery',
        what: `${n} notify → accepted, persisted (pool ${POOL_SIZE})`,
        mailroom: round(rate),
        baseline: round(rawRate),
        unit: 'mails/s',
        ratio: rate / rawRate,
        target: '≥ 0.85× raw',
        met: rate / rawRate >= 0.85,
        notes: `raw ${Math.round(rawMs)} ms, Mailroom ${Math.round(mailroomMs)} ms (all notify calls returned after ${Math.round(notifiedMs)} ms, ${NOTIFY_CONCURRENCY} at a time); CPU of this process per mail: raw ${((rawCpuMs / n) * 1000).toFixed(0)} µs, Mailroom ${((mailroomCpuMs / n) * 1000).toFixed(0)} µs`,
      },
    ];
  } finally {
    await mailroom.stop();
    await sink.stop();
    const sql = await connect(databaseUrl);
    await dropSchema(sql, schema).finally(() => sql.end());
  }
};

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

function round(x: number): number {
  return Math.round(x);
}
