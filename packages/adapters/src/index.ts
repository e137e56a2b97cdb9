export { SystemClock, UuidIdSource } from './system/system-clock';
export { ManualClock } from './memory/manual-clock';
export { InMemorySubscriptionStore } from './memory/in-memory-subscription-store';
export { InMemoryNotificationStore } from './memory/in-memory-notification-store';
export { CapturingMailSender } from './memory/capturing-mail-sender';
export * from './smtp';
export * from './oauth';
