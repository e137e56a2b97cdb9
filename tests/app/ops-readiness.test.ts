import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMailroom, type Mailroom, type Readiness } from '@mailroom/app';
import { scrape, valueOf } from '../support/metrics';
import { fullPayloads } from '../support/payloads';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server';
import { ThrowawayPostgres } from '../support/throwaway-postgres';
import { until } from '../support/until';

/**
 * `/healthz` and `/readyz` as an orchestrator probes them, over HTTP from `mailroom.opsHandler()` mounted in node:http:
 * a PostgreSQL of the test's own stopped and started again, and an SMTP server that refuses Mailroom's credentials.
 */
describe('the health endpoints', () => {
  let db: ThrowawayPostgres;
  let smtp: SmtpTestServer;
  let mailroom: Mailroom;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    db = await ThrowawayPostgres.create();
    smtp = await startSmtpServer({
      // Plain SMTP on loopback, AUTH without TLS (as Mailroom's smtp.tls "none" with allowInsecureAuth).
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth: (_auth, _session, callback) =>
        callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 })),
    });
    mailroom = await createMailroom({
      env: {},
      config: {
        database: { url: db.url, schema: 'ops', poolSize: 3, connectTimeoutMs: 1000, queryTimeoutMs: 2000 },
        smtp: {
          host: '127.0.0.1',
          port: smtp.port,
          tls: 'none',
          allowInsecureAuth: true,
          auth: { type: 'direct', username: 'idm', password: 'not-the-password' },
        },
        from: { address: 'noreply@idm.example.com' },
        worker: { pollIntervalMs: 200 },
        log: { level: 'silent' },
      },
    });
    server = createServer(mailroom.opsHandler().listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await mailroom?.stop();
    await smtp?.close();
    await db?.destroy();
  });

  const readyz = async (): Promise<{ status: number; body: Readiness & { status: string } }> => {
    const response = await fetch(`${base}/readyz`);
    return { status: response.status, body: (await response.json()) as Readiness & { status: string } };
  };

  it('is alive and ready with the database answering and nothing refused', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(health.headers.get('cache-control')).toBe('no-store');
    expect(await readyz()).toEqual({
      status: 200,
      body: { status: 'ready', ready: true, database: { ok: true }, delivery: { state: 'healthy' } },
    });
    // The metrics are open here: a host mounting the handler guards them as it guards its other internal routes.
    expect(valueOf(await scrape(`${base}/metrics`), 'mailroom_database_up')).toBe(1);
  });

  it('goes not ready while the database is down, and ready again once it is back; alive throughout', async () => {
    await db.stop();
    let answer: Awaited<ReturnType<typeof readyz>> | undefined;
    await until(async () => (answer = await readyz()).status === 503, '/readyz to answer 503', 20_000);
    expect(answer!.body).toMatchObject({ status: 'not ready', ready: false, database: { ok: false, code: 'DATABASE.UNAVAILABLE' } });
    expect(JSON.stringify(answer!.body)).not.toContain(db.url);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    // The metrics still answer: the outbox gauges unknown (NaN), never a reassuring 0, and the database down.
    const metrics = await scrape(`${base}/metrics`);
    expect(valueOf(metrics, 'mailroom_database_up')).toBe(0);
    expect(valueOf(metrics, 'mailroom_outbox_mails', { status: 'pending' })).toBeNaN();

    await db.start();
    await until(async () => (await readyz()).status === 200, '/readyz to answer 200 again', 20_000);
    expect(valueOf(await scrape(`${base}/metrics`), 'mailroom_database_up')).toBe(1);
  }, 60_000);

  it('goes not ready once the server refuses our credentials: delivery stopped, with the code', async () => {
    await mailroom.notify({
      kind: 'user-invite',
      recipient: { userId: 'u1', address: 'ada@example.com' },
      payload: fullPayloads['user-invite'],
    });
    mailroom.start();
    let answer: Awaited<ReturnType<typeof readyz>> | undefined;
    await until(async () => (answer = await readyz()).status === 503, 'delivery stopped', 20_000);
    expect(answer!.body).toMatchObject({
      ready: false,
      database: { ok: true },
      delivery: { state: 'stopped', code: 'SEND.AUTHENTICATION' },
    });
    // Delivery stops at the refusal; the attempt is counted once its outcome is written, a moment later.
    await until(
      async () => valueOf(await scrape(`${base}/metrics`), 'mailroom_mails_failed_total', { class: 'authentication' }) === 1,
      'the refused attempt counted',
    );
    expect(valueOf(await scrape(`${base}/metrics`), 'mailroom_mails_sent_total')).toBe(0);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
