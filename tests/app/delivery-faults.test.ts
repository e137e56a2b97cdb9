import { rmSync } from 'node:fs';
import { createMailroom, DatabaseUnavailableError, type Mailroom } from '@mailroom/app';
import { createLogger } from '../../packages/app/src/logger';
import { Client } from 'pg';
import { aWorkingFolder, mailroomEnv, runCli, startCli } from '../support/cli';
import { startCountingSmtpServer, type CountingSmtpServer } from '../support/counting-smtp-server';
import { ThrowawayPostgres } from '../support/throwaway-postgres';
import { until } from '../support/until';
import { fullPayloads } from '../support/payloads';

/**
 * Delivery under real faults: a PostgreSQL of the test's own, restarted and killed under a running worker, and a
 * real SMTP server that counts what it accepted. Nothing may be lost; duplicates are bounded by the mails in
 * flight at the fault, never by a batch or a run.
 */
describe('delivery under database faults', () => {
  let db: ThrowawayPostgres;
  let smtp: CountingSmtpServer;
  let mailroom: Mailroom | undefined;

  beforeAll(async () => {
    db = await ThrowawayPostgres.create();
  }, 60_000);

  afterAll(async () => {
    await db?.destroy();
  });

  beforeEach(async () => {
    smtp = await startCountingSmtpServer();
  });

  afterEach(async () => {
    await mailroom?.stop();
    mailroom = undefined;
    await smtp.close();
  });

  const aSchema = () => `faults_${Math.random().toString(36).slice(2, 8)}`;

  async function aMailroom(
    schema: string,
    database: { url?: string; queryTimeoutMs?: number; connectTimeoutMs?: number } = {},
    logLines?: string[],
  ): Promise<Mailroom> {
    return createMailroom({
      env: {},
      ...(logLines ? { logger: createLogger('debug', { write: (line: string) => void logLines.push(line) }) } : {}),
      config: {
        database: { url: db.url, schema, poolSize: 4, ...database },
        smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none', auth: { type: 'none' } },
        from: { address: 'noreply@idm.example.com' },
        worker: { batchSize: 100, leaseSeconds: 10, pollIntervalMs: 200 },
        log: { level: 'silent' },
      },
    });
  }

  /** The environment of `mailroom start` as a worker node on the test's database and SMTP server. */
  function workerEnv(schema: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return mailroomEnv(
      { databaseUrl: db.url, schema, smtpPort: smtp.port },
      {
        MAILROOM_FROM_ADDRESS: 'noreply@idm.example.com',
        MAILROOM_WORKER_POLL_INTERVAL_MS: '200',
        MAILROOM_LOG_LEVEL: 'warn',
        ...extra,
      },
    );
  }

  async function rows(schema: string, where: string): Promise<{ id: string; status: string; claimed_by: string | null }[]> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(`SELECT id, status, claimed_by FROM "${schema}".notifications WHERE ${where}`)).rows;
    } finally {
      await client.end();
    }
  }

  async function notifyMany(m: Mailroom, count: number): Promise<void> {
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        m.notify({
          kind: 'query-results-changed',
          recipient: { userId: `u${i}`, address: `u${i}@example.com` },
          payload: fullPayloads['query-results-changed'],
        }),
      ),
    );
  }

  async function drained(m: Mailroom, count: number): Promise<boolean> {
    if (smtp.counts.size < count) return false;
    try {
      return (await m.outbox.counts()).sent === count;
    } catch {
      return false;
    }
  }

  it.each([
    ['a restart (fast shutdown, 2 s down)', () => db.restart(2000)],
    ['a crash (SIGKILL of every server process) and restart', async () => (await db.kill(), await db.start())],
  ])(
    'loses nothing and sends no more twice than was in flight through %s mid-drain',
    async (_name, fault) => {
      const total = 3000;
      const logs: string[] = [];
      mailroom = await aMailroom(aSchema(), {}, logs);
      await notifyMany(mailroom, total);
      mailroom.start();
      await until(() => smtp.total() >= 600, 'the first 600 mails', 30_000);
      await fault();
      const m = mailroom;
      await until(() => drained(m, total), 'every mail sent and settled', 60_000);
      console.info(`${_name}: ${smtp.duplicates()} duplicates among ${total} mails`);
      expect(smtp.counts.size).toBe(total);
      // In flight at the fault: the sends on the wire (the SMTP pool's 3) and accepted mails whose settlement had not
      // committed yet (settled at least every batch of 25).
      expect(smtp.duplicates()).toBeLessThanOrEqual(3 + 25);
      // Quiet, useful logs: one line when something is lost and one when it is back; at debug, a line for every
      // accepted mail; at info, a summary per 10 s of delivery runs (the last one written at stop).
      await m.stop();
      const lines = (msg: string) => logs.filter((l) => (JSON.parse(l) as { msg: string }).msg.startsWith(msg)).length;
      expect(lines('wake-up connection lost')).toBe(1);
      expect(lines('wake-up connection back')).toBe(1);
      expect(lines('cannot record delivery outcomes')).toBeLessThanOrEqual(1);
      expect(lines('delivery outcomes recorded again')).toBe(lines('cannot record delivery outcomes'));
      expect(lines('delivery run failed')).toBeLessThanOrEqual(1);
      expect(lines('mail sent')).toBe(smtp.total());
      const levelOf = (msg: string) => logs.map((l) => JSON.parse(l) as { msg: string; level: number }).find((l) => l.msg === msg)?.level;
      expect(levelOf('mail sent')).toBe(20); // debug
      expect(levelOf('delivery summary')).toBe(30); // info
      expect(lines('delivery summary')).toBeLessThan(total / 50);
    },
    120_000,
  );

  describe('a worker process killed with SIGKILL', () => {
    const cwd = aWorkingFolder('mailroom-faults-');
    afterAll(() => rmSync(cwd, { recursive: true, force: true }));

    it("loses nothing: another worker sends the dead worker's claims once their lease runs out, duplicates bounded by its sends in flight", async () => {
      // A relay that takes 20 ms a mail: the drain lasts long enough to kill the worker in the middle of it.
      await smtp.close();
      smtp = await startCountingSmtpServer({ delayMs: 20 });
      const schema = aSchema();
      const total = 600;
      mailroom = await aMailroom(schema);
      await notifyMany(mailroom, total);
      const leaseSeconds = 4;
      const doomed = await startCli(cwd, workerEnv(schema, { MAILROOM_WORKER_LEASE_SECONDS: String(leaseSeconds) }));
      await until(() => smtp.total() >= 150, 'the first 150 mails from the worker process', 30_000);
      doomed.child.kill('SIGKILL');
      await doomed.exited;
      const killedAt = Date.now();
      const orphans = await rows(schema, `status = 'sending'`);
      expect(orphans.length).toBeGreaterThan(0);
      expect(orphans.every((r) => r.claimed_by?.includes('/'))).toBe(true); // host/pid/random of the dead worker

      mailroom.start(); // the surviving node
      const m = mailroom;
      await until(
        async () => (await rows(schema, `id IN (${orphans.map((o) => `'${o.id}'`).join(',')}) AND status <> 'sent'`)).length === 0,
        "the dead worker's claims sent",
        30_000,
      );
      const orphansSentAfterMs = Date.now() - killedAt;
      await until(() => drained(m, total), 'every mail sent and settled', 30_000);
      console.info(
        `SIGKILL of a worker: ${orphans.length} claims orphaned, sent by the other worker ${orphansSentAfterMs} ms after the kill (lease ${leaseSeconds} s); ${smtp.duplicates()} duplicates among ${total}`,
      );
      expect(smtp.counts.size).toBe(total);
      // Within the lease and a few seconds (the survivor drains what is left at 150 mails/s meanwhile).
      expect(orphansSentAfterMs).toBeLessThan(leaseSeconds * 1000 + 6_000);
      // In flight at the kill: the three sends on the wire (the relay counts a mail it was still delaying) and the
      // mails accepted in the last settlement window (20 ms and the write, a few mails at 150 mails/s).
      expect(smtp.duplicates()).toBeLessThanOrEqual(10);
    }, 120_000);

    it('SIGTERM with an SMTP server that stopped answering: the process exits within the stop deadline and gives its claims back', async () => {
      const schema = aSchema();
      mailroom = await aMailroom(schema);
      await notifyMany(mailroom, 5);
      smtp.stall();
      const deadlineMs = 3000;
      const worker = await startCli(
        cwd,
        workerEnv(schema, { MAILROOM_WORKER_STOP_DEADLINE_MS: String(deadlineMs), MAILROOM_SMTP_SOCKET_TIMEOUT_MS: '60000' }),
      );
      await until(() => smtp.stalled() >= 1, 'a mail stuck on the wire', 30_000);
      const sentAt = Date.now();
      worker.child.kill('SIGTERM');
      const code = await worker.exited;
      const tookMs = Date.now() - sentAt;
      console.info(`SIGTERM with a stalled SMTP server: exited ${code} after ${tookMs} ms (deadline ${deadlineMs} ms)`);
      expect(code).toBe(0); // a graceful stop: the claims went back
      expect(tookMs).toBeLessThan(deadlineMs + 1500);
      expect(await rows(schema, `status = 'sending'`)).toEqual([]);
      expect((await rows(schema, `status = 'pending'`)).length).toBe(5);
    }, 60_000);
  });

  describe('a frozen database (SIGSTOP of every server process)', () => {
    afterEach(() => db.thaw());

    it('notify() rejects with a typed, retryable DatabaseUnavailableError within the timeout, naming database.url without its password', async () => {
      const url = db.url.replace('postgres@', 'postgres:s3cret-pw@'); // trust auth: the password is not checked
      mailroom = await aMailroom(aSchema(), { url, queryTimeoutMs: 1500, connectTimeoutMs: 1000 });
      await mailroom.notify({
        kind: 'query-results-changed',
        recipient: { userId: 'u1', address: 'u1@example.com' },
        payload: fullPayloads['query-results-changed'],
      });
      db.freeze();
      const started = Date.now();
      const error = await mailroom
        .notify({
          kind: 'query-results-changed',
          recipient: { userId: 'u2', address: 'u2@example.com' },
          payload: fullPayloads['query-results-changed'],
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      const tookMs = Date.now() - started;
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect(error).toMatchObject({ code: 'DATABASE.UNAVAILABLE', retryable: true });
      expect((error as Error).message).toContain('database.url');
      expect((error as Error).message).toContain(`127.0.0.1:${db.port}`);
      expect(JSON.stringify(error) + String(error) + (error as Error).stack).not.toContain('s3cret-pw');
      expect(tookMs).toBeLessThan(1500 + 1000);
      // A second call does not hang on the stuck connection either.
      await expect(mailroom.subscribe({ recipient: { userId: 'u3', address: 'u3@example.com' }, topic: 'query:1' })).rejects.toBeInstanceOf(
        DatabaseUnavailableError,
      );
      db.thaw();
      await until(
        () =>
          mailroom!
            .notify({
              kind: 'query-results-changed',
              recipient: { userId: 'u4', address: 'u4@example.com' },
              payload: fullPayloads['query-results-changed'],
            })
            .then(
              () => true,
              () => false,
            ),
        'notify to work again once the database answers',
        15_000,
      );
    }, 60_000);

    it('mailroom notify exits non-zero within the timeout and says why', async () => {
      const schema = aSchema();
      mailroom = await aMailroom(schema); // migrates the schema
      db.freeze();
      const cwd = aWorkingFolder('mailroom-faults-');
      const started = Date.now();
      const cli = await runCli(
        cwd,
        [
          'notify',
          '--kind',
          'query-results-changed',
          '--to',
          'ada@example.com',
          '--payload',
          JSON.stringify(fullPayloads['query-results-changed']),
        ],
        workerEnv(schema, { MAILROOM_DATABASE_CONNECT_TIMEOUT_MS: '1000', MAILROOM_DATABASE_QUERY_TIMEOUT_MS: '1500' }),
      );
      const tookMs = Date.now() - started;
      rmSync(cwd, { recursive: true, force: true });
      expect(cli.status).toBe(1);
      expect(cli.stderr).toMatch(/database is unavailable/i);
      expect(cli.stderr).toContain('database.url');
      expect(tookMs).toBeLessThan(1500 + 4000); // the timeout and a Node start-up
    }, 60_000);
  });
});
