import { ContainerModule } from 'inversify';
import {
  CapturingMailSender,
  InMemoryNotificationStore,
  InMemorySendQuota,
  InMemorySettingsStore,
  InMemoryPreferenceStore,
  InMemorySubscriptionStore,
  InMemorySuppressionList,
  InProcessRunLock,
  InProcessWakeups,
} from '@mailroom/adapters';
import type { SmtpConfig } from '../config';
import { TOKENS } from './tokens';

/** In-memory stores, quota and settings, in-process wake-ups and run lock: for hosts' tests and `createTestMailroom()`. */
export function memoryStoresModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const subscriptions = new InMemorySubscriptionStore();
    const preferences = new InMemoryPreferenceStore();
    const suppressions = new InMemorySuppressionList();
    bind(TOKENS.SubscriptionStore).toConstantValue(subscriptions);
    bind(TOKENS.NotificationStore)
      .toResolvedValue((ids) => new InMemoryNotificationStore(subscriptions, ids, preferences, suppressions), [TOKENS.IdSource])
      .inSingletonScope();
    bind(TOKENS.QuotaFor).toConstantValue((perMinute: number) => new InMemorySendQuota(perMinute));
    bind(TOKENS.SettingsStore).toConstantValue(new InMemorySettingsStore());
    bind(TOKENS.PreferenceStore).toConstantValue(preferences);
    bind(TOKENS.SuppressionList).toConstantValue(suppressions);
    bind(TOKENS.Wakeups).toConstantValue(new InProcessWakeups());
    bind(TOKENS.RunLock).toConstantValue(new InProcessRunLock());
  });
}

/** A sender that keeps every mail instead of sending it; `smtp` is what the configuration says (pool size, rate). */
export function capturingSenderModule(sender: CapturingMailSender = new CapturingMailSender(), smtp?: SmtpConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.MailSender).toConstantValue(sender);
    bind(TOKENS.SmtpConfig).toConstantValue(smtp);
  });
}
