import { ValidationError } from '@mailroom/domain';
import { aCore } from '../support/core';
import { fullPayloads } from '../support/payload-samples';

const ada = { userId: 'u1', address: 'ada@example.com', name: 'Ada Lovelace' };

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('notify', () => {
  it('stores a pending immediate notification and returns its id', async () => {
    const core = aCore();
    const id = await core.notify.execute({ kind: 'user-invite', recipient: ada, payload: fullPayloads['user-invite'] });
    const stored = await core.store.get(id);
    expect(stored).toMatchObject({ kind: 'user-invite', status: 'pending', delivery: 'immediate', attempts: 0, payload: fullPayloads['user-invite'] });
    expect(stored!.recipient.email.toString()).toBe('"Ada Lovelace" <ada@example.com>');
    expect(stored!.createdAt).toEqual(core.clock.now());
  });

  it('keeps the delivery and topic asked for', async () => {
    const core = aCore();
    const id = await core.notify.execute({ kind: 'query-results-changed', recipient: ada, payload: fullPayloads['query-results-changed'], delivery: 'digest', topic: 'query:42' });
    expect(await core.store.get(id)).toMatchObject({ delivery: 'digest', topic: 'query:42' });
  });

  it('returns the first notification for a repeated dedupe key', async () => {
    const core = aCore();
    const input = { kind: 'import-failed' as const, recipient: ada, payload: fullPayloads['import-failed'], dedupeKey: 'import:hr-feed:991' };
    const first = await core.notify.execute(input);
    const second = await core.notify.execute(input);
    expect(second).toBe(first);
    expect(core.store.all()).toHaveLength(1);
  });

  it.each([
    ['unknown kind', { kind: 'no-such-kind', recipient: ada, payload: {} }, 'NOTIFICATION.UNKNOWN_KIND', 'kind'],
    ['invalid payload', { kind: 'user-invite', recipient: ada, payload: { ...fullPayloads['user-invite'], acceptLinkPath: 'javascript:alert(1)' } }, 'NOTIFICATION.INVALID_PAYLOAD', 'payload.acceptLinkPath'],
    ['invalid address', { kind: 'user-invite', recipient: { ...ada, address: 'ada@example.com\r\nBcc: x@y.z' }, payload: fullPayloads['user-invite'] }, 'ADDRESS.INVALID', 'recipient.address'],
    ['missing user id', { kind: 'user-invite', recipient: { ...ada, userId: '' }, payload: fullPayloads['user-invite'] }, 'RECIPIENT.INVALID', 'recipient.userId'],
    ['invalid delivery', { kind: 'user-invite', recipient: ada, payload: fullPayloads['user-invite'], delivery: 'weekly' }, 'NOTIFICATION.INVALID_DELIVERY', 'delivery'],
    ['invalid topic', { kind: 'user-invite', recipient: ada, payload: fullPayloads['user-invite'], topic: 'no namespace' }, 'TOPIC.INVALID', 'topic'],
    ['empty dedupe key', { kind: 'user-invite', recipient: ada, payload: fullPayloads['user-invite'], dedupeKey: '' }, 'NOTIFICATION.INVALID_DEDUPE_KEY', 'dedupeKey'],
  ])('refuses an %s with a typed error naming the field, storing nothing', async (_what, input, code, fieldName) => {
    const core = aCore();
    const error = await rejection(core.notify.execute(input as never));
    expect(error.code).toBe(code);
    expect(error.issues.map((i) => i.field)).toContain(fieldName);
    expect(error.message).toContain(fieldName);
    expect(core.store.all()).toEqual([]);
  });

  it('keeps what was accepted before a bad notification', async () => {
    const core = aCore();
    const id = await core.notify.execute({ kind: 'user-invite', recipient: ada, payload: fullPayloads['user-invite'] });
    await rejection(core.notify.execute({ kind: 'user-invite', recipient: ada, payload: {} as never }));
    expect(core.store.all().map((n) => n.id)).toEqual([id]);
  });
});
