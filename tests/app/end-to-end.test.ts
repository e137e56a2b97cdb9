import { ManualClock } from '@mailroom/adapters';
import { createMailroom, TOKENS, type Mailroom } from '@mailroom/app';
import { KNOWN_KINDS } from '@mailroom/domain';
import { fullPayloads } from '../support/payloads';
import { describeOnSystemPostgres, dropSchema, SYSTEM_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server';
import { until } from '../support/until';

describeOnSystemPostgres()('Mailroom end to end: real container, system PostgreSQL, real SMTP server', () => {
  let smtp: SmtpTestServer;
  let mailroom: Mailroom;
  const schema = uniqueSchema();
  const clock = new ManualClock('2026-01-05T09:05:00.000Z');

  beforeAll(async () => {
    smtp = await startSmtpServer();
    mailroom = await createMailroom({
      env: {},
      config: {
        database: { url: SYSTEM_POSTGRES_URL, schema, poolSize: 4 },
        smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none', auth: { type: 'none' } },
        from: { address: 'noreply@idm.example.com', name: 'Identity Manager' },
        links: { baseUrl: 'https://idm.example.com/portal/' },
        subjectPrefix: '[IDM]',
        digest: { intervalMinutes: 60, maxItems: 2 },
        worker: { batchSize: 50, leaseSeconds: 60, pollIntervalMs: 200 },
        log: { level: 'silent' },
      },
      configure: (container) => {
        container.rebind(TOKENS.Clock).toConstantValue(clock);
      },
    });
    mailroom.start();
  });

  afterAll(async () => {
    await mailroom?.stop();
    await smtp?.close();
    await dropSchema(SYSTEM_POSTGRES_URL, schema);
  });

  it('delivers each of the six kinds, rendered, with stable ids and links on the base URL', async () => {
    const ids: Record<string, string> = {};
    for (const kind of KNOWN_KINDS) {
      ids[kind] = await mailroom.notify({
        kind,
        recipient: { userId: `u-${kind}`, address: `${kind}@example.com`, name: 'Ada Lovelace' },
        payload: fullPayloads[kind],
      });
    }
    await until(() => smtp.received.length >= KNOWN_KINDS.length, 'six mails');
    for (const kind of KNOWN_KINDS) {
      const mail = smtp.received.find((m) => m.to.includes(`${kind}@example.com`));
      expect(mail).toBeDefined();
      const parsed = mail!.parsed;
      expect(parsed.from?.text).toBe('"Identity Manager" <noreply@idm.example.com>');
      expect(parsed.subject).toMatch(/^\[IDM\] /);
      expect(parsed.messageId).toBe(`<${ids[kind]}@idm.example.com>`);
      expect(parsed.text).toBeTruthy();
      expect(parsed.html).toContain('https://idm.example.com/portal/');
    }
    const cr = smtp.received.find((m) => m.to.includes('change-request@example.com'))!.parsed;
    expect(cr.subject).toContain('[CR-1234]');
    expect(cr.inReplyTo).toBe('<change-request.CR-1234@idm.example.com>');
    await until(async () => (await mailroom.outbox.counts()).sent === KNOWN_KINDS.length, 'six rows marked sent');
    for (const kind of KNOWN_KINDS) expect(await mailroom.outbox.get(ids[kind]!)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('publishes to a topic with mixed preferences, then sends one digest after the interval', async () => {
    smtp.received.length = 0;
    const topic = 'query:42';
    await mailroom.subscribe({ recipient: { userId: 'now-1', address: 'now1@example.com' }, topic });
    await mailroom.subscribe({ recipient: { userId: 'now-2', address: 'now2@example.com' }, topic });
    await mailroom.subscribe({
      recipient: { userId: 'later', address: 'later@example.com', timeZone: 'Europe/Zurich' },
      topic,
      delivery: 'digest',
    });
    for (let i = 1; i <= 3; i++) {
      expect(
        await mailroom.publish(
          topic,
          'query-results-changed',
          { ...fullPayloads['query-results-changed'], rowsAdded: i },
          { eventKey: `run-${i}` },
        ),
      ).toBe(3);
    }
    await until(() => smtp.received.length >= 6, 'six immediate mails');
    expect(smtp.received.filter((m) => m.to.includes('later@example.com'))).toEqual([]);

    clock.set('2026-01-05T10:00:02.000Z');
    const { digests } = await mailroom.container.get(TOKENS.SendDigests).run();
    expect(digests).toBe(1);
    await until(() => smtp.received.some((m) => m.to.includes('later@example.com')), 'the digest');
    const digest = smtp.received.find((m) => m.to.includes('later@example.com'))!.parsed;
    expect(digest.text).toMatch(/\n1 earlier update is not listed here\.\n/);
    // The server has the digest; its outcome is written a moment later (settlements are grouped for up to 20 ms).
    await until(async () => (await mailroom.outbox.counts()).sent === 6 + 6 + 1, 'the digest settled');
    expect(await mailroom.outbox.counts()).toMatchObject({ digested: 3, pending: 0, sending: 0, dead: 0 });
  });
});
