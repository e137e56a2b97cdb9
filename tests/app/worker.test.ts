import { CapturingMailSender } from '@mailroom/adapters';
import { createTestMailroom, TOKENS, Worker } from '@mailroom/app';
import type { NotificationStore } from '@mailroom/domain';

describe('Worker', () => {
  it('does not sleep through a wake-up that arrives while it asks the outbox when to wake', async () => {
    const mailroom = await createTestMailroom();
    const container = mailroom.container;
    const store = container.get(TOKENS.NotificationStore);
    let worker: Worker | undefined;
    let asked = 0;
    // The mail is added, and its wake-up heard, while the worker waits for nextDueAt's answer.
    const racing: NotificationStore = Object.assign(Object.create(store) as NotificationStore, {
      nextDueAt: async () => {
        asked++;
        if (asked === 1) {
          await mailroom.notify({ kind: 'user-invite', recipient: { userId: 'u1', address: 'ada@example.com' }, payload: { inviterName: 'Grace', accountName: 'Acme', acceptLinkPath: '/i/1', expiresAt: '2026-12-01T09:00:00Z' } });
          worker!.wake();
          return undefined; // as if read before the insert committed
        }
        return store.nextDueAt();
      },
    });
    const wakeups = { onWake: () => undefined, close: async () => undefined };
    worker = new Worker(container.get(TOKENS.DeliverDue), container.get(TOKENS.SendDigests), racing, container.get(TOKENS.Clock), mailroom.logger, { batchSize: 10, pollIntervalMs: 60_000 }, wakeups);
    worker.start();
    const sender = container.get(TOKENS.MailSender) as CapturingMailSender;
    const deadline = Date.now() + 2000;
    while (sender.sent.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    expect(sender.sent).toHaveLength(1);
  });
});
