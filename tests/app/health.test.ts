import { createMailroom, type Mailroom, type MailroomHealth } from '@mailroom/app';
import { Client } from 'pg';
import { aClosedPort } from '../support/cli';
import { fullPayloads } from '../support/payloads';
import { describeOnSystemPostgres, SYSTEM_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { ThrowawayPostgres } from '../support/throwaway-postgres';
import { until } from '../support/until';

const invite = (address: string) => ({
  kind: 'user-invite' as const,
  recipient: { userId: address, address },
  payload: fullPayloads['user-invite'],
});

describeOnSystemPostgres()('health() with an SMTP server that is not there', () => {
  let mailroom: Mailroom;
  const schema = uniqueSchema();

  beforeAll(async () => {
    // A port the SMTP server closed: every connection is refused, a transient failure each time.
    const port = await aClosedPort();
    mailroom = await createMailroom({
      env: {},
      config: {
        database: { url: SYSTEM_POSTGRES_URL, schema, poolSize: 3 },
        smtp: { host: '127.0.0.1', port, tls: 'none', connectionTimeoutMs: 2000 },
        retry: { initialDelaySeconds: 1, maxDelaySeconds: 1, maxAttempts: 2 },
        worker: { pollIntervalMs: 200 },
        log: { level: 'silent' },
      },
    });
  });

  afterAll(async () => {
    await mailroom?.stop();
    const client = new Client({ connectionString: SYSTEM_POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('is ok with nothing to send, and tells that no worker runs here yet', async () => {
    const health = await mailroom.health();
    expect(health).toMatchObject({
      ok: true,
      problems: [],
      database: { ok: true },
      delivery: { state: 'healthy', worker: 'not started', failures: 0 },
      deadLetters: { recent: 0, sinceStart: 0 },
    });
    expect(health.oldestPending).toBeUndefined();
  });

  it('is not ok while sends fail with mail waiting: the last error, since when, the oldest waiting mail', async () => {
    mailroom.start();
    const before = Date.now();
    const id = await mailroom.notify(invite('ada@example.com'));
    let health: MailroomHealth | undefined;
    await until(async () => (health = await mailroom.health()).delivery.state === 'failing', 'delivery failing');
    expect(health!.ok).toBe(false);
    expect(health!.delivery).toMatchObject({
      state: 'failing',
      worker: 'running',
      failures: 1,
      lastError: { code: 'SEND.TRANSIENT.CONNECTION' },
    });
    expect(health!.delivery.since!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(health!.delivery.lastError!.message).toMatch(/ECONNREFUSED/);
    expect(health!.oldestPending!.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(health!.outbox).toMatchObject({ pending: 1 });
    expect(health!.problems.join('\n')).toMatch(/^No mail went out since .*: 1 send failed, the last \(SEND\.TRANSIENT\.CONNECTION\)/);

    // The second attempt fails too, and the mail becomes a dead letter: health counts it.
    await until(async () => (await mailroom.outbox.get(id)).status === 'dead', 'the dead letter');
    health = await mailroom.health();
    expect(health.deadLetters).toMatchObject({
      recent: 1,
      sinceStart: 1,
      windowMinutes: 60,
      last: { id, code: 'SEND.TRANSIENT.CONNECTION' },
    });
    expect(health.delivery).toMatchObject({ state: 'failing', failures: 2 });

    // A new mail waits behind the same refusal: still not ok.
    await mailroom.notify(invite('bob@example.com'));
    await until(async () => (health = await mailroom.health()).delivery.failures >= 3, 'the next failure');
    expect(health.ok).toBe(false);
    expect(health.oldestPending).toBeDefined();
  });
});

describe('health() without its database', () => {
  let db: ThrowawayPostgres;
  let mailroom: Mailroom | undefined;

  beforeAll(async () => {
    db = await ThrowawayPostgres.create();
  }, 60_000);

  afterAll(async () => {
    await mailroom?.stop({ deadlineMs: 1000 });
    await db?.destroy();
  });

  it('is not ok, naming the database setting and the typed error', async () => {
    const port = await aClosedPort();
    mailroom = await createMailroom({
      env: {},
      config: {
        database: { url: db.url, schema: 'health', connectTimeoutMs: 500, queryTimeoutMs: 1000 },
        smtp: { host: '127.0.0.1', port, tls: 'none' },
        log: { level: 'silent' },
      },
    });
    expect((await mailroom.health()).ok).toBe(true);
    await db.kill();
    const health = await mailroom.health();
    expect(health.ok).toBe(false);
    expect(health.database).toMatchObject({ ok: false, code: 'DATABASE.UNAVAILABLE' });
    expect(health.database.error).toContain('database.url');
    expect(health.problems[0]).toMatch(/^The database does not answer: /);
  }, 30_000);
});
