import { ValidationError } from '@mailroom/domain';
import { fullPayloads, aLargeChangeRequest, aQueryResultsChanged } from '../support/payloads';
import { aCore } from '../support/core';

const user = (userId: string) => ({ userId, address: `${userId}@example.com` });
const payload = fullPayloads['query-results-changed'];

describe('subscriptions and publish', () => {
  it('fans one event out to every subscriber with their preference', async () => {
    const core = aCore();
    await core.subscriptions.subscribe({ recipient: user('a'), topic: 'query:42' });
    await core.subscriptions.subscribe({ recipient: user('b'), topic: 'query:42', delivery: 'digest' });
    await core.subscriptions.subscribe({ recipient: user('c'), topic: 'query:7' });
    expect(await core.subscriptions.publish('query:42', 'query-results-changed', payload)).toBe(2);
    const rows = core.store.all();
    expect(rows.map((n) => [n.recipient.userId, n.delivery, n.topic, n.kind]).sort()).toEqual([
      ['a', 'immediate', 'query:42', 'query-results-changed'],
      ['b', 'digest', 'query:42', 'query-results-changed'],
    ]);
  });

  it('respects a changed preference and an unsubscribe', async () => {
    const core = aCore();
    await core.subscriptions.subscribe({ recipient: user('a'), topic: 'query:42' });
    await core.subscriptions.subscribe({ recipient: user('b'), topic: 'query:42' });
    await core.subscriptions.subscribe({ recipient: user('a'), topic: 'query:42', delivery: 'digest' });
    expect(await core.subscriptions.unsubscribe('b', 'query:42')).toBe(true);
    expect(await core.subscriptions.unsubscribe('b', 'query:42')).toBe(false);
    await core.subscriptions.publish('query:42', 'query-results-changed', payload);
    expect(core.store.all().map((n) => [n.recipient.userId, n.delivery])).toEqual([['a', 'digest']]);
  });

  it("lists a user's subscriptions with their preference, and refuses an invalid user id", async () => {
    const core = aCore();
    await core.subscriptions.subscribe({ recipient: user('a'), topic: 'query:42', delivery: 'digest' });
    await core.subscriptions.subscribe({ recipient: user('a'), topic: 'connector:hr-feed' });
    await core.subscriptions.subscribe({ recipient: user('b'), topic: 'query:7' });
    expect((await core.subscriptions.subscriptionsOf('a')).map((s) => [s.topic, s.delivery])).toEqual([
      ['connector:hr-feed', 'immediate'],
      ['query:42', 'digest'],
    ]);
    await expect(core.subscriptions.subscriptionsOf('')).rejects.toMatchObject({ code: 'RECIPIENT.INVALID', field: 'userId' });
  });

  it('publishes an event key once', async () => {
    const core = aCore();
    await core.subscriptions.subscribe({ recipient: user('a'), topic: 'query:42' });
    expect(await core.subscriptions.publish('query:42', 'query-results-changed', payload, { eventKey: 'run-1' })).toBe(1);
    expect(await core.subscriptions.publish('query:42', 'query-results-changed', payload, { eventKey: 'run-1' })).toBe(0);
    expect(await core.subscriptions.publish('query:42', 'query-results-changed', payload, { eventKey: 'run-2' })).toBe(1);
  });

  it('validates the payload once, before anything is added', async () => {
    const core = aCore();
    await core.subscriptions.subscribe({ recipient: user('a'), topic: 'query:42' });
    await expect(core.subscriptions.publish('query:42', 'query-results-changed', { ...payload, rowsAdded: -3 })).rejects.toMatchObject({
      code: 'NOTIFICATION.INVALID_PAYLOAD',
    });
    await expect(core.subscriptions.publish('not a topic', 'query-results-changed', payload)).rejects.toMatchObject({
      code: 'TOPIC.INVALID',
    });
    expect(core.store.all()).toEqual([]);
  });

  it('refuses invalid subscriptions with the field named', async () => {
    const core = aCore();
    await expect(core.subscriptions.subscribe({ recipient: user('a'), topic: 'query 42' })).rejects.toThrow(
      /topic "query 42" is not a topic/,
    );
    await expect(core.subscriptions.subscribe({ recipient: { userId: 'a', address: 'x' }, topic: 'query:42' })).rejects.toMatchObject({
      code: 'ADDRESS.INVALID',
    });
    await expect(
      core.subscriptions.subscribe({ recipient: user('a'), topic: 'query:42', delivery: 'hourly' as never }),
    ).rejects.toMatchObject({
      code: 'NOTIFICATION.INVALID_DELIVERY',
    });
  });

  it('refuses an oversized payload, an unknown field and unstorable text on publish too, naming every field', async () => {
    const core = aCore();
    await core.subscriptions.subscribe({ recipient: user('a'), topic: 'query:42' });
    await expect(core.subscriptions.publish('query:42', 'change-request', aLargeChangeRequest(70_000))).rejects.toMatchObject({
      code: 'NOTIFICATION.PAYLOAD_TOO_LARGE',
      field: 'payload',
    });
    const { linkPath, ...rest } = aQueryResultsChanged({ queryName: 'Q\u0000' });
    const error: ValidationError = await core.subscriptions
      .publish('query:\uD800', 'query-results-changed', { ...rest, linkpath: linkPath } as never)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues.map((i) => i.field)).toEqual(['topic', 'payload.queryName', 'payload.linkPath', 'payload.linkpath']);
    expect(core.store.all()).toEqual([]);
  });

  it('refuses a NUL in the user id of a subscription or an unsubscribe', async () => {
    const core = aCore();
    await expect(core.subscriptions.subscribe({ recipient: user('a\u0000'), topic: 'query:42' })).rejects.toMatchObject({
      field: 'recipient.userId',
    });
    await expect(core.subscriptions.unsubscribe('a\u0000', 'query:42')).rejects.toMatchObject({ field: 'userId' });
  });
});
