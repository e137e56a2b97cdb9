import { createMailroom, type Mailroom } from '@mailroom/app';
import { startCountingSmtpServer, type CountingSmtpServer } from '../support/counting-smtp-server';
import { ThrowawayPostgres } from '../support/throwaway-postgres';
import { until } from '../support/until';
import { fullPayloads } from '../support/payload-samples';

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

  async function aMailroom(schema: string): Promise<Mailroom> {
    return createMailroom({
      env: {},
      config: {
        database: { url: db.url, schema, poolSize: 4 },
        smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none', auth: { type: 'none' } },
        from: { address: 'noreply@idm.example.com' },
        worker: { batchSize: 100, leaseSeconds: 10, pollIntervalMs: 200 },
        log: { level: 'silent' },
      },
    });
  }

  async function notifyMany(m: Mailroom, count: number): Promise<void> {
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        m.notify({ kind: 'query-results-changed', recipient: { userId: `u${i}`, address: `u${i}@example.com` }, payload: fullPayloads['query-results-changed'] }),
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
  ])('loses nothing and sends no more twice than was in flight through %s mid-drain', async (_name, fault) => {
    const total = 3000;
    mailroom = await aMailroom(`faults_${Math.random().toString(36).slice(2, 8)}`);
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
  }, 120_000);
});
