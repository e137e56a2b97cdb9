import { ContainerModule } from 'inversify';
import {
  CapturingMailSender,
  InMemoryNotificationStore,
  InMemorySendQuota,
  InMemorySubscriptionStore,
  InProcessWakeups,
} from '@mailroom/adapters';
import type { SmtpConfig } from '../config';
import { TOKENS } from './tokens';

/** In-memory stores and quota, in-process wake-ups: for hosts' tests and `createTestMailroom()`. */
export function memoryStoresModule(rateLimitPerMinute?: number): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const subscriptions = new InMemorySubscriptionStore();
    bind(TOKENS.SubscriptionStore).toConstantValue(subscriptions);
    bind(TOKENS.NotificationStore)
      .toDynamicValue((ctx) => new InMemoryNotificationStore(subscriptions, ctx.get(TOKENS.IdSource)))
      .inSingletonScope();
    bind(TOKENS.SendQuota).toConstantValue(rateLimitPerMinute ? new InMemorySendQuota(rateLimitPerMinute) : undefined);
    bind(TOKENS.Wakeups).toConstantValue(new InProcessWakeups());
  });
}

/** A sender that keeps every mail instead of sending it; `smtp` is what the configuration says (pool size, rate). */
export function capturingSenderModule(sender: CapturingMailSender = new CapturingMailSender(), smtp?: SmtpConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.MailSender).toConstantValue(sender);
    bind(TOKENS.SmtpConfig).toConstantValue(smtp);
  });
}
