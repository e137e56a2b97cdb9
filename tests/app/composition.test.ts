import {
  CapturingMailSender,
  InMemoryNotificationStore,
  InMemoryPreferenceStore,
  InMemorySettingsStore,
  InMemorySubscriptionStore,
  InMemorySuppressionList,
  InProcessWakeups,
} from '@mailroom/adapters';
import { createMailroom, TOKENS } from '@mailroom/app';
import { aClosedPort } from '../support/cli';
import { fullPayloads } from '../support/payloads';

describe('createMailroom as the composition root', () => {
  it("applies a host's replacements before anything opens: a database and an SMTP server nobody reaches are never dialled", async () => {
    const port = await aClosedPort();
    const sender = new CapturingMailSender();
    const mailroom = await createMailroom({
      env: {},
      config: {
        database: { url: `postgres://nobody:secret@127.0.0.1:${port}/none`, connectTimeoutMs: 200 },
        smtp: { host: '127.0.0.1', port, tls: 'none' },
        log: { level: 'silent' },
      },
      configure: (container) => {
        const subscriptions = new InMemorySubscriptionStore();
        const preferences = new InMemoryPreferenceStore();
        container.rebind(TOKENS.SubscriptionStore).toConstantValue(subscriptions);
        container.rebind(TOKENS.PreferenceStore).toConstantValue(preferences);
        container.rebind(TOKENS.SuppressionList).toConstantValue(new InMemorySuppressionList());
        container.rebind(TOKENS.NotificationStore).toConstantValue(new InMemoryNotificationStore(subscriptions, undefined, preferences));
        container.rebind(TOKENS.SendQuota).toConstantValue(undefined);
        container.rebind(TOKENS.SettingsStore).toConstantValue(new InMemorySettingsStore());
        container.rebind(TOKENS.Wakeups).toConstantValue(new InProcessWakeups());
        container.rebind(TOKENS.MailSender).toConstantValue(sender);
      },
    });
    try {
      // The use cases run on the replacements: the notification is stored and, once delivered, captured.
      await mailroom.notify({
        kind: 'query-results-changed',
        recipient: { userId: 'u1', address: 'ada@example.com' },
        payload: fullPayloads['query-results-changed'],
      });
      expect((await mailroom.outbox.counts()).pending).toBe(1);
      await mailroom.container.get(TOKENS.DeliverDue).run(10);
      expect(sender.to('ada@example.com')).toHaveLength(1);
    } finally {
      await mailroom.stop();
    }
  });
});
