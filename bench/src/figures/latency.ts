import { benchMailroom, messageIdOf } from '../bench-mailroom';
import { delay, percentile } from '../concurrently';
import { connect, dropSchema, freshSchema } from '../database';
import type { Figure, Measurement } from '../figure';
import { notification } from '../mails';
import { Sink } from '../sink-client';

const GAP_MS = 20; // between samples: the system is idle when each notify arrives

/**
 * Latency on an idle system: `notify` until the sink accepted that mail, one at a time. Once with the worker in
 * the same process (woken directly), once with `notify` from another Mailroom instance without a worker, so
 * the worker hears of it only through PostgreSQL LISTEN/NOTIFY, as a worker on another node would.
 */
export const latency: Figure = async ({ databaseUrl, quick }) => {
  const samples = quick ? 50 : 200;
  const sink = await Sink.start();
  sink.reportIds(true);
  const schema = freshSchema('latency');
  const worker = await benchMailroom({ url: databaseUrl, schema, smtpPort: sink.port, smtpPoolSize: 3 });
  const other = await benchMailroom({ url: databaseUrl, schema, smtpPort: sink.port, smtpPoolSize: 3 });
  try {
    worker.start();
    let i = 0;
    const measure = async (from: typeof worker, count: number): Promise<number[]> => {
      const ms: number[] = [];
      for (let k = 0; k < count; k++) {
        await delay(GAP_MS);
        const t = performance.now();
        const id = await from.notify(notification(i++));
        const at = await sink.acceptedAt(messageIdOf(id), 10_000);
        ms.push(at - t);
      }
      return ms;
    };
    await measure(worker, 20); // warm-up
    const local = await measure(worker, samples);
    await measure(other, 20);
    const remote = await measure(other, samples);
    const line = (what: string, ms: number[]): Measurement => {
      const p50 = percentile(ms, 0.5);
      const p99 = percentile(ms, 0.99);
      return {
        figure: 'latency',
        what: `${what}, ${samples} samples: p50 (p99 ${p99.toFixed(1)} ms)`,
        mailroom: Number(p50.toFixed(1)),
        unit: 'ms',
        target: 'p50 ≤ 20 ms, p99 ≤ 100 ms',
        met: p50 <= 20 && p99 <= 100,
        notes: `p50 ${p50.toFixed(1)} ms, p90 ${percentile(ms, 0.9).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms`,
      };
    };
    return [line('notify → accepted, worker in-process', local), line('notify → accepted, woken by LISTEN/NOTIFY', remote)];
  } finally {
    await other.stop();
    await worker.stop();
    await sink.stop();
    const sql = await connect(databaseUrl);
    await dropSchema(sql, schema).finally(() => sql.end());
  }
};
