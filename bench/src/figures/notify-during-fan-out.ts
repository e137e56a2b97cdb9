import { benchMailroom } from '../bench-mailroom';
import { delay, median, percentile } from '../concurrently';
import { connect, dropSchema, freshSchema, seedSubscribers } from '../database';
import type { Figure, Measurement } from '../figure';
import { KIND, notification, payload } from '../mails';

const TOPIC = 'bench:notify-during-fan-out';
const SUBSCRIBERS = 10_000;
const GAP_MS = 2; // between one notify's return and the next call, as a host's requests would come

/**
 * `notify` while a fan-out runs: a host calls `notify` one call after another while another of its requests
 * `publish`es to 10 000 subscribers; how long each `notify` call takes (until its row is committed), against the
 * same calls over a span as long with no fan-out. Rounds alternate which goes first, so both see the same table
 * and the same neighbours on the machine. The worker does not run: the figure is the database path a host waits on.
 */
export const notifyDuringFanOut: Figure = async ({ databaseUrl, quick }) => {
  const rounds = quick ? 4 : 30;
  const schema = freshSchema('notify-during-fan-out');
  // No sends here; the SMTP port is never dialled.
  const mailroom = await benchMailroom({ url: databaseUrl, schema, smtpPort: 9, smtpPoolSize: 3 });
  const sql = await connect(databaseUrl);
  try {
    await seedSubscribers(sql, schema, TOPIC, SUBSCRIBERS, 'immediate');
    let next = 0;
    /** notify calls, one at a time, until `over()`; each call's duration goes into `into`. */
    const notifyUntil = async (over: () => boolean, into: number[]) => {
      while (!over()) {
        await delay(GAP_MS);
        const t = performance.now();
        await mailroom.notify(notification(next++));
        into.push(performance.now() - t);
      }
    };
    const publishMs: number[] = [];
    const during: number[] = [];
    const without: number[] = [];
    const duringPublish = async (into: number[]) => {
      let finished = false;
      const t = performance.now();
      const publishing = mailroom.publish(TOPIC, KIND, payload(publishMs.length)).then((added) => {
        if (added !== SUBSCRIBERS) throw new Error(`publish added ${added} mails, not ${SUBSCRIBERS}`);
        publishMs.push(performance.now() - t);
        finished = true;
      });
      await notifyUntil(() => finished, into);
      await publishing;
    };
    const alone = (spanMs: number, into: number[]) => {
      const end = performance.now() + spanMs;
      return notifyUntil(() => performance.now() >= end, into);
    };

    await duringPublish([]); // warm-up: pools, plans, JIT
    await alone(publishMs[0]!, []);
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        await duringPublish(during);
        await alone(publishMs.at(-1)!, without);
      } else {
        await alone(publishMs.at(-1)!, without);
        await duringPublish(during);
      }
    }

    const spread = (ms: number[]) =>
      `p50 ${percentile(ms, 0.5).toFixed(1)}, p90 ${percentile(ms, 0.9).toFixed(1)}, p99 ${percentile(ms, 0.99).toFixed(1)}, max ${Math.max(...ms).toFixed(1)} ms`;
    const line = (p: number, targetMs: number, notes?: string): Measurement => {
      const busy = percentile(during, p);
      const idle = percentile(without, p);
      return {
        figure: 'notify-during-fan-out',
        what: `notify call while publish to ${SUBSCRIBERS} subscribers runs: p${Math.round(p * 100)}`,
        mailroom: Number(busy.toFixed(1)),
        baseline: Number(idle.toFixed(1)),
        unit: 'ms',
        ratio: busy / idle,
        target: `≤ ${targetMs} ms`,
        met: busy <= targetMs,
        ...(notes !== undefined ? { notes } : {}),
      };
    };
    const publishes = `${during.length} calls during ${rounds} publishes (median ${Math.round(median(publishMs.slice(1)))} ms each)`;
    // The latency figure's bounds for notify → accepted on an idle system: a fan-out must not push a call past them.
    return [
      line(0.5, 20),
      line(0.99, 100, `${publishes}, ${without.length} without; during: ${spread(during)}; without: ${spread(without)}`),
    ];
  } finally {
    await mailroom.stop();
    await dropSchema(sql, schema).finally(() => sql.end());
  }
};
