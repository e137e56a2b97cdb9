import { InMemorySendQuota } from '@mailroom/adapters';
import { sendQuotaContract } from './send-quota.contract';

// A new budget per quota() call: each test uses one.
sendQuotaContract('in-memory', async () => ({
  quota: (perMinute) => new InMemorySendQuota(perMinute),
  reset: async () => {},
  close: async () => {},
}));
