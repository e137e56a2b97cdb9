import type { Mailroom } from '@mailroom/app';
import type { Client } from 'pg';
import { benchMailroom, messageIdOf } from '../bench-mailroom';
import { connect, dropSchema, freshSchema, seedSubscribers } from '../database';
import type { Figure, Measurement } from '../figure';
import { KIND, payload } from '../mails';
import { busyShare, machineTicks } from '../run-queue';
import { Sink } from '../sink-client';
import { WorkerNode, type NodeUsage } from '../worker-node-client';

const RELAY_MS = 20; // a remote relay: each mail accepted 20 ms after its data arrived
const POOL_SIZE = 3; // the product's default SMTP pool, per node
const NODE_COUNTS = [1, 2, 4] as const;
const TOPIC = 'bench:scale-out';
/** Per node: about one claim batch (the default 100) each, so every node has sent before the clock starts. */
const WARM_UP_PER_NODE = 100;
const warmUpTopic = (nodes: number) => `bench:scale-out-warm-up-${nodes}`;

interface Run {
  readonly databaseUrl: string;
  readonly schema: string;
  readonly sql: Client;
  readonly sink: Sink;
  /** The host that publishes; its own worker never starts: the nodes deliver. */
  readonly host: Mailroom;
  readonly n: number;
  /** Mails of the baseline, in all (split among the raw senders). */
  readonly rawN: number;
  readonly timeoutMs: number;
}

interface Drain {
  readonly nodes: number;
  /** The baseline: as many processes sending the same mails with raw pooled nodemailer. */
  readonly rawRate: number;
  readonly ms: number;
  readonly publishMs: number;
  /** What each node process used from the end of the warm-up until the sink had every mail. */
  readonly usage: readonly NodeUsage[];
  /** Mails of the measured backlog each node sent, most first. */
  readonly perNode: readonly number[];
  readonly sinkCpuMs: number;
  readonly sinkRunQueueMs?: number;
  readonly machineBusy?: number;
}

/**
 * Scale-out: a backlog of N immediate mails (one `publish`) drained by 1, 2 and 4 Mailroom nodes, each its own
 * process with the product's defaults (SMTP pool 3, batch 100), on one database, into a sink that accepts each mail
 * 20 ms after its data (a remote relay). Every mail must reach the sink exactly once. Baseline for one node: raw
 * pooled nodemailer (same pool size) sending the same mails to the same relay; for more nodes: one node (the
 * speed-up), held to raw nodemailer's speed-up in as many processes in the same run: on a machine whose cores
 * cannot serve k senders, neither scales, and the notes say so (how long the processes waited for a core).
 */
export const scaleOut: Figure = async ({ databaseUrl, quick }) => {
  const n = quick ? 600 : 3000;
  const sink = await Sink.start({ acceptDelayMs: RELAY_MS, keepIds: true });
  const schema = freshSchema('scale-out');
  const host = await benchMailroom({ url: databaseUrl, schema, smtpPort: sink.port, smtpPoolSize: POOL_SIZE });
  const sql = await connect(databaseUrl);
  const run: Run = { databaseUrl, schema, sql, sink, host, n, rawN: n / 3, timeoutMs: 60_000 + n * 30 };
  try {
    await seedSubscribers(sql, schema, TOPIC, n, 'immediate');
    for (const count of NODE_COUNTS) await seedSubscribers(sql, schema, warmUpTopic(count), WARM_UP_PER_NODE * count, 'immediate');
    const drains: Drain[] = [];
    for (const count of NODE_COUNTS) drains.push(await drain(run, count));

    const rate = (d: Drain) => (n / d.ms) * 1000;
    const one = drains[0]!;
    return drains.map((d): Measurement => {
      const what = `${d.nodes} node${d.nodes > 1 ? 's' : ''} × pool ${POOL_SIZE}, ${n} mails to a ${RELAY_MS} ms relay`;
      if (d === one) {
        return {
          figure: 'scale-out',
          what,
          mailroom: Math.round(rate(d)),
          baseline: Math.round(d.rawRate),
          unit: 'mails/s',
          ratio: rate(d) / d.rawRate,
          target: '≥ 0.9× raw',
          met: rate(d) / d.rawRate >= 0.9,
          notes: notes(d, n),
        };
      }
      // What the machine allows: raw nodemailer's speed-up in as many processes, measured in the same run.
      const speedUp = rate(d) / rate(one);
      const rawSpeedUp = d.rawRate / one.rawRate;
      return {
        figure: 'scale-out',
        what,
        mailroom: Math.round(rate(d)),
        baseline: Math.round(rate(one)),
        unit: 'mails/s',
        ratio: speedUp,
        target: "≥ 0.9× raw's speed-up",
        met: speedUp >= 0.9 * rawSpeedUp,
        notes: `speed-up ${speedUp.toFixed(2)}× (ideal ${d.nodes}×), raw nodemailer's ${rawSpeedUp.toFixed(2)}×; ${notes(d, n)}`,
      };
    });
  } finally {
    await host.stop();
    await sink.stop();
    await dropSchema(sql, schema).finally(() => sql.end());
  }
};

/**
 * `count` fresh node processes. First each sends its share of the baseline with raw nodemailer; then their workers
 * start, warm up, and are timed from the `publish` of the backlog until the sink has it all.
 */
async function drain(run: Run, count: number): Promise<Drain> {
  const { databaseUrl, schema, sql, sink, host, n, timeoutMs } = run;
  await sql.query(`TRUNCATE "${schema}".notifications`);
  const nodes: WorkerNode[] = [];
  try {
    for (let k = 0; k < count; k++)
      nodes.push(await WorkerNode.start({ url: databaseUrl, schema, smtpPort: sink.port, smtpPoolSize: POOL_SIZE }));
    const rawRate = await rawSenders(run, nodes);
    for (const node of nodes) node.run();
    const warm = sink.accept(WARM_UP_PER_NODE * count, timeoutMs);
    await host.publish(warmUpTopic(count), KIND, payload(0));
    await warm;

    for (const node of nodes) node.mark();
    const sinkBefore = await sink.usage();
    const ticks = machineTicks();
    const start = performance.now();
    const done = sink.accept(n, timeoutMs);
    const added = await host.publish(TOPIC, KIND, payload(count));
    const publishMs = performance.now() - start;
    if (added !== n) throw new Error(`publish added ${added} mails, not ${n}`);
    await done;
    const ms = performance.now() - start;
    const machineBusy = busyShare(ticks, machineTicks());
    const sinkAfter = await sink.usage();
    const usage = await Promise.all(nodes.splice(0).map((node) => node.stop()));

    await checkExactlyOnce(run, count);
    const sinkRunQueueMs =
      sinkAfter.runQueueMs !== undefined && sinkBefore.runQueueMs !== undefined ? sinkAfter.runQueueMs - sinkBefore.runQueueMs : undefined;
    return {
      nodes: count,
      rawRate,
      ms,
      publishMs,
      usage,
      perNode: await perNode(run),
      sinkCpuMs: sinkAfter.cpuMs - sinkBefore.cpuMs,
      ...(sinkRunQueueMs !== undefined ? { sinkRunQueueMs } : {}),
      ...(machineBusy !== undefined ? { machineBusy } : {}),
    };
  } finally {
    for (const node of nodes) node.kill();
  }
}

/** The baseline in the node processes: the same mails, rendered beforehand, sent with raw pooled nodemailer. */
async function rawSenders({ sink, rawN, timeoutMs }: Run, nodes: readonly WorkerNode[]): Promise<number> {
  const warm = sink.accept(WARM_UP_PER_NODE * nodes.length, timeoutMs);
  await Promise.all(nodes.map((node) => node.prepareRaw(rawN / nodes.length, WARM_UP_PER_NODE)));
  await warm;
  const start = performance.now();
  const done = sink.accept(rawN, timeoutMs);
  await Promise.all(nodes.map((node) => node.sendRaw()));
  await done;
  const ms = performance.now() - start;
  await sink.take(); // not Mailroom's mails: out of the exactly-once count
  return (rawN / ms) * 1000;
}

/** Every mail in the outbox was sent, and the sink took each of them once and nothing else; otherwise the figure fails. */
async function checkExactlyOnce({ sql, schema, sink }: Run, nodes: number): Promise<void> {
  const { rows } = await sql.query<{ id: string; status: string }>(`SELECT id, status FROM "${schema}".notifications`);
  const accepted = await sink.take();
  const expected = new Set(rows.map((r) => messageIdOf(r.id)));
  const seen = new Set<string>();
  let duplicates = 0;
  let unknown = 0;
  for (const id of accepted) {
    if (seen.has(id)) duplicates++;
    else if (!expected.has(id)) unknown++;
    seen.add(id);
  }
  const missing = [...expected].filter((id) => !seen.has(id)).length;
  const unsent = rows.filter((r) => r.status !== 'sent').length;
  if (duplicates + unknown + missing + unsent > 0) {
    throw new Error(
      `${nodes} node(s): the sink accepted ${accepted.length} mails for ${rows.length} in the outbox: ` +
        `${duplicates} duplicates, ${missing} missing, ${unknown} not in the outbox; ${unsent} rows not marked sent`,
    );
  }
}

/** How many mails of the measured backlog each node sent (a sent row's last claim owner sent it). */
async function perNode({ sql, schema }: Run): Promise<number[]> {
  const { rows } = await sql.query<{ c: number }>(
    `SELECT count(*)::int AS c FROM "${schema}".notifications WHERE topic = $1 GROUP BY claimed_by ORDER BY c DESC`,
    [TOPIC],
  );
  return rows.map((r) => r.c);
}

/** Where the time went: the split between nodes, their CPU, and how long they and the sink queued for a core. */
function notes(d: Drain, n: number): string {
  const sum = (pick: (u: NodeUsage) => number | undefined) => d.usage.reduce((s, u) => s + (pick(u) ?? 0), 0);
  const wallMs = sum((u) => u.wallMs);
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const waited =
    d.usage.every((u) => u.runQueueMs !== undefined) && d.sinkRunQueueMs !== undefined
      ? `; waiting for a CPU: nodes ${pct(sum((u) => u.runQueueMs) / wallMs)} of their time, sink ${pct(d.sinkRunQueueMs / d.ms)}`
      : '';
  return (
    `${Math.round(d.ms)} ms (publish ${Math.round(d.publishMs)} ms of it); mails per node ${d.perNode.join('/')}; ` +
    `CPU per mail: nodes ${((sum((u) => u.cpuMs) / n) * 1000).toFixed(0)} µs, sink ${((d.sinkCpuMs / n) * 1000).toFixed(0)} µs` +
    waited +
    (d.machineBusy !== undefined ? `; machine busy ${pct(d.machineBusy)}` : '') +
    `; relay ceiling ${(1000 / RELAY_MS) * POOL_SIZE * d.nodes} mails/s; raw nodemailer in ${d.nodes} process${d.nodes > 1 ? 'es' : ''} ${Math.round(d.rawRate)} mails/s (Mailroom ${(n / d.ms / (d.rawRate / 1000)).toFixed(2)}× of it)`
  );
}
