import { adminHandler, createMailroom, type AdminErrorBody, type Mailroom } from '@mailroom/app';
import { change, mountAdmin, type AdminClient } from '../../support/admin-mounts';
import { ContractSettings } from '../../support/admin-settings';
import { aUserInvite } from '../../support/payloads';
import { describeOnSystemPostgres, dropSchema, SYSTEM_POSTGRES_URL, uniqueSchema } from '../../support/postgres';
import { expectNoSecrets } from '../../support/secrets';
import { startSmtpServer, type SmtpTestServer } from '../../support/smtp-test-server';
import { until } from '../../support/until';
import { backendOf } from './admin-support';

const USER = 'mailer@idm.example.com';
const PASSWORD = 'Smtp-Admin-Passw0rd-Never-Shown';

/**
 * The admin API over a production Mailroom: PostgreSQL, a real SMTP server that logs in with a password and refuses
 * `nobody…` mailboxes with 550 — so the dead letters are the ones delivery really makes.
 */
describeOnSystemPostgres()('the admin API over PostgreSQL and a real SMTP server, mounted in Express', () => {
  let smtp: SmtpTestServer;
  let mailroom: Mailroom;
  let admin: AdminClient;
  const schema = uniqueSchema();
  const get = async <T = Record<string, unknown>>(path: string): Promise<T> => (await (await admin(path)).json()) as T;
  const deadCount = async () => (await mailroom.outbox.counts()).dead;

  beforeAll(async () => {
    smtp = await startSmtpServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth: (auth, _session, callback) =>
        auth.username === USER && auth.password === PASSWORD
          ? callback(null, { user: USER })
          : callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 })),
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('nobody'))
          return callback(Object.assign(new Error('5.1.1 No such mailbox here'), { responseCode: 550 }));
        return callback();
      },
    });
    mailroom = await createMailroom({
      env: {},
      config: {
        database: { url: SYSTEM_POSTGRES_URL, schema, poolSize: 3 },
        smtp: {
          host: '127.0.0.1',
          port: smtp.port,
          tls: 'none',
          allowInsecureAuth: true,
          auth: { type: 'direct', username: USER, password: PASSWORD },
        },
        from: { address: USER },
        worker: { pollIntervalMs: 100 },
        log: { level: 'silent' },
      },
    });
    const handler = adminHandler(backendOf(mailroom, new ContractSettings({})), {
      authorize: async (request) => (request.headers.get('cookie') === 'session=ada' ? { id: 'ada', email: 'ada@example.com' } : undefined),
      basePath: '/admin/mailroom',
    });
    admin = await mountAdmin(handler, 'express', { cookie: 'session=ada' });

    for (const [i, address] of ['nobody1@example.com', 'ada@example.com', 'nobody2@example.com', 'nobody3@example.com'].entries())
      await mailroom.notify({ kind: 'user-invite', recipient: { userId: `u${i}`, address }, payload: aUserInvite() });
    mailroom.start();
    await until(async () => (await deadCount()) === 3 && smtp.received.length === 1, 'three dead letters and one sent mail');
  });

  afterAll(async () => {
    await admin?.close();
    await mailroom?.stop();
    await smtp?.close();
    await dropSchema(SYSTEM_POSTGRES_URL, schema);
  });

  it('lists the dead letters delivery made, with the server’s refusal, paged and filtered', async () => {
    const page1 = await get<{ items: { id: string; recipient: { address: string }; reason: unknown; hint: string }[]; next?: string }>(
      '/outbox/dead-letters?limit=2',
    );
    expect(page1.items.map((i) => i.recipient.address)).toEqual(['nobody3@example.com', 'nobody2@example.com']);
    expect(page1.items[0]).toMatchObject({
      reason: { code: 'SEND.PERMANENT.NO_SUCH_MAILBOX', responseCode: 550, message: expect.stringContaining('No such mailbox') },
    });
    const page2 = await get<{ items: { recipient: { address: string } }[]; next?: string }>(
      `/outbox/dead-letters?limit=2&after=${page1.next}`,
    );
    expect(page2.items.map((i) => i.recipient.address)).toEqual(['nobody1@example.com']);
    expect(page2.next).toBeUndefined();
    const byRecipient = await get<{ items: { recipient: { address: string } }[] }>(
      '/outbox/dead-letters?recipient=NOBODY2@example.com&reason=permanent',
    );
    expect(byRecipient.items.map((i) => i.recipient.address)).toEqual(['nobody2@example.com']);
    expect((await get<{ items: unknown[] }>('/outbox/dead-letters?reason=SEND.TRANSIENT')).items).toEqual([]);
    expect(await get('/outbox/counts')).toMatchObject({ counts: { dead: 3, sent: 1, pending: 0 } });
  });

  it('retries one dead letter (which dies again on the same refusal), then all of them as a job', async () => {
    const [first] = (await get<{ items: { id: string }[] }>('/outbox/dead-letters?limit=1')).items;
    const retried = await admin('/outbox/retry', change('POST', { ids: [first!.id] }));
    expect(await retried.json()).toEqual({ retried: 1 });
    await until(
      async () => (await get<{ status: string; attempts: number }>(`/outbox/notifications/${first!.id}`)).status === 'dead',
      'the retried mail to die again',
    );
    expect(await get(`/outbox/notifications/${first!.id}`)).toMatchObject({ attempts: 1, lastError: { responseCode: 550 } });

    const job = (await (await admin('/outbox/retry-all', change('POST', { batchSize: 2 }))).json()) as { id: string };
    type Progress = { done: number; total: number; finished: boolean };
    let progress: Progress | undefined;
    await until(async () => (progress = await get<Progress>(`/outbox/retry-all/${job.id}`)).finished, 'retry-all to finish');
    expect(progress).toMatchObject({ done: 3, total: 3, finished: true });
    await until(async () => (await deadCount()) === 3, 'the retried mails to die again');
  });

  it("sends a test mail to the admin's address; a refused one answers 502 with the server's code", async () => {
    const sent = await admin('/settings/send-test', change('POST', {}));
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({ accepted: ['ada@example.com'] });
    const refused = await admin('/settings/send-test', change('POST', { to: 'nobody@example.com' }));
    expect(refused.status).toBe(502);
    expect(((await refused.json()) as AdminErrorBody).error).toMatchObject({ code: 'SEND.PERMANENT.NO_SUCH_MAILBOX', responseCode: 550 });
  });

  it('walks the doctor and health, and no answer of this whole suite carries the SMTP password', async () => {
    expect(await get('/doctor')).toMatchObject({ ok: true });
    expect(await get('/health')).toMatchObject({ database: { ok: true } });
    await get('/openapi.json');
    expect(admin.bodies.length).toBeGreaterThan(10);
    expectNoSecrets(admin.bodies, [PASSWORD]);
  });
});
