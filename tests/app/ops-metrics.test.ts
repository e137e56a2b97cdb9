import type { AddressInfo } from 'node:net';
import {
  createMailroom,
  serveAdmin,
  type AdminServer,
  type DeadEvent,
  type FailedEvent,
  type LogFields,
  type Logger,
  type Mailroom,
  type SentEvent,
} from '@mailroom/app';
import { Counter, Registry } from 'prom-client';
import { fullPayloads } from '../support/payloads';
import { scrape, valueOf, type Sample } from '../support/metrics';
import { describeOnSystemPostgres, dropSchema, SYSTEM_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server';
import { until } from '../support/until';

const PASSWORD = 'smtp-Password-4711!';
const TOKEN = 'metrics-Token-0123456789abcdef';
const MAILS = 300;

/** A host's logger that is not pino: four methods, keeping every line. */
class ListLogger implements Logger {
  readonly lines: { level: string; message: string; fields: LogFields }[] = [];
  debug = (message: string, fields: LogFields = {}) => void this.lines.push({ level: 'debug', message, fields });
  info = (message: string, fields: LogFields = {}) => void this.lines.push({ level: 'info', message, fields });
  warn = (message: string, fields: LogFields = {}) => void this.lines.push({ level: 'warn', message, fields });
  error = (message: string, fields: LogFields = {}) => void this.lines.push({ level: 'error', message, fields });
  at(level: string): { message: string; fields: LogFields }[] {
    return this.lines.filter((l) => l.level === level);
  }
}

const invite = (address: string) => ({
  kind: 'user-invite' as const,
  recipient: { userId: address.split('@')[0]!, address },
  payload: fullPayloads['user-invite'],
});

/**
 * Mailroom as a host runs it — the system PostgreSQL, a real SMTP server that takes a little time per mail, refuses one
 * mailbox for good and another for now — with its operations endpoints served as `mailroom start` serves them, scraped
 * over HTTP while the mails go out.
 */
describeOnSystemPostgres()('metrics, events and a host logger while mails flow', () => {
  const schema = uniqueSchema();
  const logger = new ListLogger();
  const events = { sent: [] as SentEvent[], failed: [] as FailedEvent[], dead: [] as DeadEvent[] };
  let smtp: SmtpTestServer;
  let mailroom: Mailroom;
  let server: AdminServer;
  let base: string;
  const samples: Sample[][] = [];
  // The host's own registry, with a metric of its own: Mailroom's go next to it.
  const registry = new Registry();
  new Counter({ name: 'host_requests_total', help: "The host's own requests.", registers: [registry] }).inc(7);

  beforeAll(async () => {
    smtp = await startSmtpServer({
      // Plain SMTP on loopback, AUTH without TLS (as Mailroom's smtp.tls "none" with allowInsecureAuth).
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) =>
        auth.username === 'idm' && auth.password === PASSWORD ? callback(null, { user: 'idm' }) : callback(new Error('535 refused')),
      onRcptTo: (address, _session, callback) => {
        const refuse = (code: number, text: string) => callback(Object.assign(new Error(text), { responseCode: code }));
        if (address.address === 'nobody@example.com')
          return refuse(550, '5.1.1 <nobody@example.com>: Recipient address rejected: User unknown');
        if (address.address === 'later@example.com') return refuse(451, '4.3.0 Try again later');
        setTimeout(() => callback(), 10); // a relay that takes its time: the scrapes see the mails flow
      },
    });
    mailroom = await createMailroom({
      env: {},
      logger,
      metrics: { registry },
      config: {
        database: { url: SYSTEM_POSTGRES_URL, schema, poolSize: 4 },
        smtp: {
          host: '127.0.0.1',
          port: smtp.port,
          tls: 'none',
          allowInsecureAuth: true,
          auth: { type: 'direct', username: 'idm', password: PASSWORD },
        },
        from: { address: 'noreply@idm.example.com' },
        worker: { pollIntervalMs: 200 },
        log: { level: 'debug' },
      },
    });
    mailroom.events.on('sent', (e) => void events.sent.push(e));
    mailroom.events.on('failed', (e) => void events.failed.push(e));
    mailroom.events.on('dead', (e) => void events.dead.push(e));
    // A host listener with a bug: logged, and delivery goes on.
    mailroom.events.on('sent', (e) => {
      if (e.address === 'u0@example.com') throw new Error('audit log full');
    });
    server = await serveAdmin(mailroom.adminHandler({ authorize: async () => ({ id: 'ops-test' }) }), {
      listen: '127.0.0.1:0',
      token: TOKEN,
      logger,
      ops: mailroom.opsHandler({ metricsToken: TOKEN }),
    });
    base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await mailroom?.stop();
    await smtp?.close();
    await dropSchema(SYSTEM_POSTGRES_URL, schema);
  });

  const metrics = () => scrape(`${base}/metrics`, { authorization: `Bearer ${TOKEN}` });

  it('serves /healthz and /readyz without the token, /metrics only with it', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', ready: true, database: { ok: true }, delivery: { state: 'healthy' } });
    const refused = await fetch(`${base}/metrics`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('Bearer');
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token-wrong' } })).status).toBe(401);
    const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(text).toContain('# HELP mailroom_mails_sent_total ');
    expect(text).toContain('# TYPE mailroom_send_duration_seconds histogram');
    expect(mailroom.metrics.registry).toBe(registry);
    expect(text).toContain('host_requests_total 7');
    // The admin API keeps its own guard.
    expect((await fetch(`${base}/outbox/counts`)).status).toBe(401);
  });

  it('moves the counters and gauges as mails go out: sent equals what the server received, the refusals by class', async () => {
    for (let i = 0; i < MAILS; i++) await mailroom.notify(invite(`u${i}@example.com`));
    await mailroom.notify(invite('nobody@example.com'));
    await mailroom.notify(invite('later@example.com'));
    // The outbox gauges come from one query reused for a few seconds (the first test's scrape read an empty outbox).
    let before: Sample[] = [];
    await until(
      async () => valueOf((before = await metrics()), 'mailroom_outbox_mails', { status: 'pending' }) === MAILS + 2,
      'the backlog read again',
      15_000,
    );
    expect(valueOf(before, 'mailroom_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(valueOf(before, 'mailroom_database_up')).toBe(1);
    expect(valueOf(before, 'mailroom_mails_sent_total')).toBe(0);

    mailroom.start();
    await until(
      async () => {
        samples.push(await metrics());
        const last = samples.at(-1)!;
        return (
          smtp.received.length === MAILS &&
          valueOf(last, 'mailroom_mails_sent_total') === MAILS &&
          valueOf(last, 'mailroom_mails_failed_total', { class: 'permanent' }) === 1 &&
          valueOf(last, 'mailroom_mails_failed_total', { class: 'transient' }) === 1
        );
      },
      'every mail sent and counted, and the two refusals',
      60_000,
    );
    const sentSeen = samples.map((s) => valueOf(s, 'mailroom_mails_sent_total')!);
    // Scraped while the mails flowed: the count rose through values between none and all, never down.
    expect(sentSeen.some((n) => n > 0 && n < MAILS)).toBe(true);
    expect(sentSeen).toEqual([...sentSeen].sort((a, b) => a - b));

    const after = samples.at(-1)!;
    expect(valueOf(after, 'mailroom_mails_sent_total')).toBe(smtp.received.length);
    expect(valueOf(after, 'mailroom_mails_failed_total', { class: 'permanent' })).toBe(1);
    expect(valueOf(after, 'mailroom_mails_dead_total', { class: 'permanent' })).toBe(1);
    expect(valueOf(after, 'mailroom_mails_failed_total', { class: 'transient' })).toBe(1);
    expect(valueOf(after, 'mailroom_mails_dead_total', { class: 'transient' })).toBe(0);
    expect(valueOf(after, 'mailroom_send_duration_seconds_count', { outcome: 'sent' })).toBe(MAILS);
    expect(valueOf(after, 'mailroom_send_duration_seconds_count', { outcome: 'failed' })).toBe(2);
    // The relay takes 10 ms a mail: no send is faster, and most take less than a second.
    expect(valueOf(after, 'mailroom_send_duration_seconds_bucket', { outcome: 'sent', le: '0.005' })).toBe(0);
    expect(valueOf(after, 'mailroom_send_duration_seconds_bucket', { outcome: 'sent', le: '1' })).toBeGreaterThan(MAILS / 2);

    // Once the backlog is read again, what is left.
    await until(
      async () => valueOf(await metrics(), 'mailroom_outbox_mails', { status: 'pending' }) === 1,
      'the backlog read again: the mail to retry later is left',
      15_000,
    );
    const settled = await metrics();
    expect(valueOf(settled, 'mailroom_outbox_mails', { status: 'sending' })).toBe(0);
    expect(valueOf(settled, 'mailroom_outbox_mails', { status: 'dead' })).toBe(1);
    expect(valueOf(settled, 'mailroom_outbox_oldest_pending_age_seconds')).toBeGreaterThan(0);
    expect((await mailroom.outbox.counts()).dead).toBe(1);
  }, 90_000);

  it('tells host listeners each outcome with its content', async () => {
    expect(events.sent).toHaveLength(MAILS);
    const sent = events.sent.find((e) => e.address === 'u7@example.com')!;
    const received = smtp.received.find((m) => m.to.includes('u7@example.com'))!;
    expect(sent).toMatchObject({ kind: 'user-invite', userId: 'u7', attempt: 1, at: expect.any(Date) });
    expect(`<${sent.messageId}>`).toBe(received.parsed.messageId);
    expect(await mailroom.outbox.get(sent.notificationId)).toMatchObject({ status: 'sent', messageId: sent.messageId });

    expect(events.dead).toEqual([
      expect.objectContaining({
        address: 'nobody@example.com',
        kind: 'user-invite',
        attempt: 1,
        code: 'SEND.PERMANENT.NO_SUCH_MAILBOX',
        failureClass: 'permanent',
        responseCode: 550,
      }),
    ]);
    expect(events.failed).toEqual([
      expect.objectContaining({
        address: 'later@example.com',
        attempt: 1,
        code: 'SEND.TRANSIENT',
        failureClass: 'transient',
        responseCode: 451,
      }),
    ]);
    const failed = events.failed[0]!;
    expect(failed.retryAt.getTime()).toBe((await mailroom.outbox.get(failed.notificationId)).nextAttemptAt.getTime());
    // The listener that threw was logged; the mail it was told about is sent all the same.
    const broken = logger.at('error').find((l) => l.message.startsWith('a mailroom.events listener failed'));
    expect(broken?.fields).toMatchObject({ event: 'sent', err: expect.objectContaining({ message: 'audit log full' }) });
    expect(events.sent.some((e) => e.address === 'u0@example.com')).toBe(true);
  });

  it("gives the host's logger one delivery summary at info (the runs of an interval together), each mail at debug, each failure at warn or error, no secret", async () => {
    const runLines = () => logger.at('info').filter((l) => l.message === 'delivery summary');
    const sum = (field: string) => runLines().reduce((n, r) => n + (r.fields[field] as number), 0);
    // A run's line comes when the run ends, just after its last outcome is written.
    await until(() => sum('sent') === MAILS, 'the delivery summary logged', 40_000);
    const runs = runLines();
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.length).toBeLessThan(MAILS / 10);
    const total = (field: string) => runs.reduce((n, r) => n + (r.fields[field] as number), 0);
    expect(total('sent')).toBe(MAILS);
    expect(total('failed')).toBe(1);
    expect(total('dead')).toBe(1);
    for (const r of runs) expect(r.fields.busyMs).toEqual(expect.any(Number));
    // Nothing per mail at info: the other info lines are the start's (migrations, the admin server).
    const others = logger.at('info').filter((l) => l.message !== 'delivery summary');
    expect(others.filter((l) => !/^(migrating|database migrated|admin API listening on )/.test(l.message))).toEqual([]);
    expect(logger.at('debug').filter((l) => l.message === 'mail sent')).toHaveLength(MAILS);
    expect(logger.at('warn').map((l) => l.message)).toContain('mail will be retried');
    expect(logger.at('error').map((l) => l.message)).toContain('mail dead-lettered');
    const everything = JSON.stringify(logger.lines, (_k, v: unknown) => (v instanceof Error ? v.message : v));
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(Buffer.from(`\0idm\0${PASSWORD}`).toString('base64'));
    expect(everything).not.toContain(TOKEN);
  });
});
