import { createTestMailroom } from '@mailroom/app';
import { fullPayloads, aLargeChangeRequest } from '../support/payloads';
import { MailSendError, ValidationError, field, payloadSchema } from '@mailroom/domain';
import { aRecipientInput } from '../support/mothers';

describe('createTestMailroom', () => {
  it('renders and captures an immediate mail with the real templates', async () => {
    const mailroom = await createTestMailroom({ config: { links: { baseUrl: 'https://idm.example.com/app/' }, subjectPrefix: '[IDM]' } });
    const id = await mailroom.notify({
      kind: 'user-invite',
      recipient: { userId: 'u1', address: 'ada@example.com', name: 'Ada' },
      payload: fullPayloads['user-invite'],
    });
    expect(await mailroom.deliver()).toBe(1);
    const [mail] = mailroom.sentTo('ada@example.com');
    expect(mail!.subject).toMatch(/^\[IDM\] /);
    expect(mail!.html).toContain('https://idm.example.com/app/invites/abc123');
    expect(mail!.messageId).toBe(`${id}@localhost.localdomain`);
    expect((await mailroom.outbox.get(id)).status).toBe('sent');
    await mailroom.stop();
  });

  it('groups digest items after the interval with the controllable clock', async () => {
    const mailroom = await createTestMailroom({ config: { digest: { intervalMinutes: 60, maxItems: 2 } }, now: '2026-01-05T09:05:00Z' });
    await mailroom.subscribe({
      recipient: { userId: 'u1', address: 'ada@example.com', timeZone: 'Europe/Zurich' },
      topic: 'query:42',
      delivery: 'digest',
    });
    expect((await mailroom.subscriptionsOf('u1')).map((s) => [s.topic, s.delivery])).toEqual([['query:42', 'digest']]);
    for (let i = 0; i < 3; i++)
      await mailroom.publish('query:42', 'query-results-changed', { ...fullPayloads['query-results-changed'], rowsAdded: i + 1 });
    expect(await mailroom.deliver()).toBe(0);
    mailroom.clock.set('2026-01-05T10:00:01Z');
    expect(await mailroom.runDigests()).toBe(1);
    expect(await mailroom.deliver()).toBe(1);
    const [digest] = mailroom.sent;
    expect(digest!.text).toMatch(/\n1 earlier update is not listed here\.\n/);
    await mailroom.stop();
  });

  it('accepts host-defined kinds with their templates', async () => {
    const mailroom = await createTestMailroom({
      kinds: [{ kind: 'acme.report-ready', validate: payloadSchema({ reportName: field.text(), linkPath: field.linkPath() }) }],
      templates: {
        'acme.report-ready.subject': 'Report <%= it.payload.reportName %> is ready',
        'acme.report-ready.html': '<p><a href="<%= it.link(it.payload.linkPath) %>">Open <%= it.payload.reportName %></a></p>',
        'acme.report-ready.text': 'Open <%= it.payload.reportName %>: <%= it.link(it.payload.linkPath) %>',
      },
      samples: { 'acme.report-ready': { reportName: 'Q3', linkPath: '/reports/q3' } },
    });
    await mailroom.notify({
      kind: 'acme.report-ready',
      recipient: { userId: 'u1', address: 'ada@example.com' },
      payload: { reportName: 'Q3 <b>', linkPath: '/reports/q3' },
    });
    await mailroom.deliver();
    expect(mailroom.sent[0]!.subject).toBe('Report Q3 <b> is ready');
    expect(mailroom.sent[0]!.html).toContain('Open Q3 &lt;b&gt;');
    await mailroom.stop();
  });
});

describe('health', () => {
  it('reports the database, delivery stopped by an authentication failure with its reason, and a live SMTP check', async () => {
    const mailroom = await createTestMailroom();
    expect(await mailroom.health({ verify: true })).toMatchObject({
      ok: true,
      database: { ok: true },
      delivery: { state: 'healthy' },
      smtp: { ok: true },
    });
    const refused = () =>
      new MailSendError('authentication', '535 5.7.3 Authentication unsuccessful', {
        responseCode: 535,
        hint: 'Grant SMTP.SendAsApp and admin consent.',
      });
    mailroom.sender.failNext(5, refused).failVerify(refused());
    await mailroom.notify({
      kind: 'user-invite',
      recipient: { userId: 'u1', address: 'ada@example.com' },
      payload: fullPayloads['user-invite'],
    });
    await mailroom.deliver();
    const health = await mailroom.health({ verify: true });
    expect(health.ok).toBe(false);
    expect(health.delivery).toMatchObject({ state: 'stopped', reason: { code: 'SEND.AUTHENTICATION' } });
    expect(health.smtp).toMatchObject({ ok: false, code: 'SEND.AUTHENTICATION', hint: 'Grant SMTP.SendAsApp and admin consent.' });
    expect(health.outbox).toMatchObject({ pending: 1 });
    await mailroom.stop();
  });

  it('refuses a payload over limits.payloadBytes on notify and publish, naming the setting that raises it', async () => {
    const mailroom = await createTestMailroom({ config: { limits: { payloadBytes: 4096 } } });
    await mailroom.subscribe({ recipient: aRecipientInput(), topic: 'query:42' });
    const error: ValidationError = await mailroom
      .notify({ kind: 'change-request', recipient: aRecipientInput(), payload: aLargeChangeRequest(5000) })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'NOTIFICATION.PAYLOAD_TOO_LARGE', field: 'payload' });
    expect(error.message).toContain('more than the limit of 4096; ');
    expect(error.message).toContain('raise limits.payloadBytes (MAILROOM_LIMITS_PAYLOAD_BYTES)');
    await expect(mailroom.publish('query:42', 'change-request', aLargeChangeRequest(5000))).rejects.toMatchObject({
      code: 'NOTIFICATION.PAYLOAD_TOO_LARGE',
    });
    expect(await mailroom.deliver()).toBe(0);
    await mailroom.stop();
  });
});
