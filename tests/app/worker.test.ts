import { CapturingMailSender, InProcessWakeups } from '@mailroom/adapters';
import { createTestMailroom, TOKENS } from '@mailroom/app';
import { Worker } from '../../packages/app/src/worker/worker';
import { MailSendError, type NotificationStore } from '@mailroom/domain';
import { parseMetrics, valueOf } from '../support/metrics';
import { fullPayloads } from '../support/payloads';
import { until } from '../support/until';

describe('Worker', () => {
  it('does not sleep through a wake-up that arrives while it asks the outbox when to wake', async () => {
    const mailroom = await createTestMailroom();
    const container = mailroom.container;
    const store = container.get(TOKENS.NotificationStore);
    // eslint-disable-next-line prefer-const -- the racing store below calls it; it is made after that store.
    let worker: Worker | undefined;
    let asked = 0;
    // The mail is added, and its wake-up heard, while the worker waits for nextDueAt's answer.
    const racing: NotificationStore = Object.assign(Object.create(store) as NotificationStore, {
      nextDueAt: async () => {
        asked++;
        if (asked === 1) {
          await mailroom.notify({
            kind: 'user-invite',
            recipient: { userId: 'u1', address: 'ada@example.com' },
            payload: { inviterName: 'Grace', accountName: 'Acme', acceptLinkPath: '/i/1', expiresAt: '2026-12-01T09:00:00Z' },
          });
          worker!.wake();
          return undefined; // as if read before the insert committed
        }
        return store.nextDueAt();
      },
    });
    const wakeups = new InProcessWakeups(); // never woken: the worker must find the mail by itself
    worker = new Worker(
      container.get(TOKENS.DeliverDue),
      container.get(TOKENS.SendDigests),
      racing,
      container.get(TOKENS.Clock),
      container.get(TOKENS.Logger),
      { batchSize: 10, pollIntervalMs: 60_000 },
      wakeups,
    );
    worker.start();
    const sender = container.get(TOKENS.MailSender) as CapturingMailSender;
    const deadline = Date.now() + 2000;
    while (sender.sent.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    expect(sender.sent).toHaveLength(1);
  });
});

describe('Worker pacing', () => {
  const invite = { inviterName: 'Grace', accountName: 'Acme', acceptLinkPath: '/i/1', expiresAt: '2026-12-01T09:00:00Z' };
  /** A window in which a busy loop would show as many claims or send attempts. */
  const aWhile = () => new Promise((r) => setTimeout(r, 300));

  it('sleeps until the next minute once the quota is spent, instead of asking again at once', async () => {
    const mailroom = await createTestMailroom({
      config: {
        smtp: { host: 'smtp.example.com', rateLimitPerMinute: 2 },
        worker: { batchSize: 10, leaseSeconds: 60, pollIntervalMs: 1000 },
      },
    });
    const store = mailroom.container.get(TOKENS.NotificationStore);
    let claims = 0;
    const claimDue = store.claimDue.bind(store);
    store.claimDue = (request) => {
      claims++;
      return claimDue(request);
    };
    for (let i = 0; i < 5; i++)
      await mailroom.notify({ kind: 'user-invite', recipient: { userId: `u${i}`, address: `u${i}@example.com` }, payload: invite });
    mailroom.start();
    await aWhile();
    await mailroom.stop();
    expect(mailroom.sent).toHaveLength(2);
    expect(claims).toBeLessThanOrEqual(2);
  });

  it('probes once per delay while the server refuses our credentials, not once per pending mail', async () => {
    const mailroom = await createTestMailroom({ config: { worker: { batchSize: 10, leaseSeconds: 60, pollIntervalMs: 1000 } } });
    let attempts = 0;
    mailroom.sender.failNext(1000, () => {
      attempts++;
      return new MailSendError('authentication', '535 5.7.3 Authentication unsuccessful', { responseCode: 535 });
    });
    for (let i = 0; i < 50; i++)
      await mailroom.notify({ kind: 'user-invite', recipient: { userId: `u${i}`, address: `u${i}@example.com` }, payload: invite });
    mailroom.start();
    await aWhile();
    await mailroom.stop();
    // The first sends already handed to the pool (two per pooled connection: 6) fail together; after that, nothing
    // until the probe delay.
    expect(attempts).toBeLessThanOrEqual(6);
    expect((await mailroom.outbox.counts()).pending).toBe(50);
  });
});

describe('Worker metrics', () => {
  it('counts its digest runs and the digests they created, and the quota pauses of its delivery', async () => {
    const mailroom = await createTestMailroom({
      config: {
        digest: { intervalMinutes: 60, maxItems: 5 },
        smtp: { host: 'smtp.example.com', rateLimitPerMinute: 1 },
        worker: { batchSize: 10, leaseSeconds: 60, pollIntervalMs: 1000 },
      },
      now: '2026-01-05T09:05:00Z',
    });
    for (const userId of ['u1', 'u2'])
      await mailroom.subscribe({ recipient: { userId, address: `${userId}@example.com` }, topic: 'query:42', delivery: 'digest' });
    await mailroom.publish('query:42', 'query-results-changed', fullPayloads['query-results-changed']);
    mailroom.clock.set('2026-01-05T10:00:01Z');
    const metric = async (name: string, labels: Record<string, string> = {}) =>
      valueOf(parseMetrics(await mailroom.metrics.registry.metrics()), name, labels);
    mailroom.start(); // the digest scheduler runs at once
    await until(async () => (await metric('mailroom_digest_runs_total', { result: 'ok' })) === 1, 'the first digest run counted');
    expect(await metric('mailroom_digests_created_total')).toBe(2);
    // Two digests, one mail a minute: the second waits for the next minute.
    await until(async () => (await metric('mailroom_quota_pauses_total', { source: 'rate-limit' }))! >= 1, 'the quota pause counted');
    await mailroom.stop();
    expect(mailroom.sent).toHaveLength(1);
    expect(await metric('mailroom_mails_sent_total')).toBeUndefined(); // stopped: its metrics left the registry
  });
});
