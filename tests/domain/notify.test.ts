import { MAX_PAYLOAD_DEPTH, ValidationError } from '@mailroom/domain';
import { fullPayloads, aLargeChangeRequest, aQueryResultsChanged, aUserInvite, nestedValue } from '../support/payloads';
import { aCore } from '../support/core';
import { aRecipientInput } from '../support/mothers';

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
    expect(stored).toMatchObject({
      kind: 'user-invite',
      status: 'pending',
      delivery: 'immediate',
      attempts: 0,
      payload: fullPayloads['user-invite'],
    });
    expect(stored!.recipient.email.toString()).toBe('"Ada Lovelace" <ada@example.com>');
    expect(stored!.createdAt).toEqual(core.clock.now());
  });

  it('takes a recipient without a user id (an invite): the id is "address:" and the lower-cased address', async () => {
    const core = aCore();
    const payload = fullPayloads['user-invite'];
    const id = await core.notify.execute({ kind: 'user-invite', recipient: { address: 'Grace.Hopper@Example.com' }, payload });
    const stored = await core.store.get(id);
    expect(stored!.recipient.userId).toBe('address:grace.hopper@example.com');
    expect(stored!.recipient.email.address).toBe('Grace.Hopper@Example.com'); // sent as given
    // null is "no user yet" too, as JavaScript hosts write it; an empty id is a mistake, not a missing one.
    const again = await core.notify.execute({
      kind: 'user-invite',
      recipient: { userId: null as unknown as string, address: 'grace.hopper@example.com' },
      payload,
    });
    expect((await core.store.get(again))!.recipient.userId).toBe('address:grace.hopper@example.com');
    const empty = await rejection(
      core.notify.execute({ kind: 'user-invite', recipient: { userId: ' ', address: 'a@example.com' }, payload }),
    );
    expect(empty.field).toBe('recipient.userId');
    expect(empty.message).toMatch(/or left out for someone who has no user yet/);
  });

  it('still needs a user id to subscribe: subscriptions are kept per user', async () => {
    const core = aCore();
    const error = await rejection(core.subscriptions.subscribe({ recipient: { address: 'ada@example.com' } as never, topic: 'query:42' }));
    expect(error).toMatchObject({ code: 'RECIPIENT.INVALID', field: 'recipient.userId' });
    expect(error.message).toMatch(/is required: the host's id of the user \(subscriptions are kept per user\)/);
  });

  it('keeps the delivery and topic asked for', async () => {
    const core = aCore();
    const id = await core.notify.execute({
      kind: 'query-results-changed',
      recipient: ada,
      payload: fullPayloads['query-results-changed'],
      delivery: 'digest',
      topic: 'query:42',
    });
    expect(await core.store.get(id)).toMatchObject({ delivery: 'digest', topic: 'query:42' });
  });

  it('returns the first notification for a repeated dedupe key', async () => {
    const core = aCore();
    const input = {
      kind: 'import-failed' as const,
      recipient: ada,
      payload: fullPayloads['import-failed'],
      dedupeKey: 'import:hr-feed:991',
    };
    const first = await core.notify.execute(input);
    const second = await core.notify.execute(input);
    expect(second).toBe(first);
    expect(core.store.all()).toHaveLength(1);
  });

  it.each([
    ['unknown kind', { kind: 'no-such-kind', recipient: ada, payload: {} }, 'NOTIFICATION.UNKNOWN_KIND', 'kind'],
    [
      'invalid payload',
      { kind: 'user-invite', recipient: ada, payload: { ...fullPayloads['user-invite'], acceptLinkPath: 'javascript:alert(1)' } },
      'NOTIFICATION.INVALID_PAYLOAD',
      'payload.acceptLinkPath',
    ],
    [
      'invalid address',
      { kind: 'user-invite', recipient: { ...ada, address: 'ada@example.com\r\nBcc: x@y.z' }, payload: fullPayloads['user-invite'] },
      'ADDRESS.INVALID',
      'recipient.address',
    ],
    [
      'missing user id',
      { kind: 'user-invite', recipient: { ...ada, userId: '' }, payload: fullPayloads['user-invite'] },
      'RECIPIENT.INVALID',
      'recipient.userId',
    ],
    [
      'invalid delivery',
      { kind: 'user-invite', recipient: ada, payload: fullPayloads['user-invite'], delivery: 'weekly' },
      'NOTIFICATION.INVALID_DELIVERY',
      'delivery',
    ],
    [
      'invalid topic',
      { kind: 'user-invite', recipient: ada, payload: fullPayloads['user-invite'], topic: 'no namespace' },
      'TOPIC.INVALID',
      'topic',
    ],
    [
      'empty dedupe key',
      { kind: 'user-invite', recipient: ada, payload: fullPayloads['user-invite'], dedupeKey: '' },
      'NOTIFICATION.INVALID_DEDUPE_KEY',
      'dedupeKey',
    ],
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

  describe('input that cannot be stored or sent as it is', () => {
    const invite = (overrides: Record<string, unknown> = {}) => ({
      kind: 'user-invite',
      recipient: aRecipientInput(),
      payload: aUserInvite(),
      ...overrides,
    });

    it.each([
      ['a NUL in the user id', invite({ recipient: aRecipientInput({ userId: 'u\u00001' }) }), 'recipient.userId', 'NUL'],
      ['a lone surrogate in the user id', invite({ recipient: aRecipientInput({ userId: 'u\uD8001' }) }), 'recipient.userId', 'surrogate'],
      [
        'a lone surrogate in the address',
        invite({ recipient: aRecipientInput({ address: 'a\uD800b@example.com' }) }),
        'recipient.address',
        'surrogate',
      ],
      [
        'a lone surrogate in the display name',
        invite({ recipient: aRecipientInput({ name: 'Ada \uDC00' }) }),
        'recipient.address.name',
        'surrogate',
      ],
      ['a NUL in the dedupe key', invite({ dedupeKey: 'k\u0000' }), 'dedupeKey', 'NUL'],
      ['a lone surrogate in the topic', invite({ topic: 'query:\uD83D' }), 'topic', 'surrogate'],
      ['a NUL in a payload string', invite({ payload: aUserInvite({ inviterName: 'Grace\u0000Hopper' }) }), 'payload.inviterName', 'NUL'],
      [
        'a lone surrogate in a nested payload string',
        invite({ kind: 'change-request', payload: { ...fullPayloads['change-request'], changes: [{ field: 'Name', to: 'x\uDE00' }] } }),
        'payload.changes[0].to',
        'surrogate',
      ],
    ])('refuses %s as a ValidationError naming the field, storing nothing', async (_what, input, fieldName, problem) => {
      const core = aCore();
      const error = await rejection(core.notify.execute(input as never));
      expect(error.issues.map((i) => i.field)).toContain(fieldName);
      expect(error.message).toContain(problem);
      expect(core.store.all()).toEqual([]);
    });

    it('keeps a well-formed emoji (a surrogate pair) in the payload', async () => {
      const core = aCore();
      await core.notify.execute(invite({ payload: aUserInvite({ inviterName: 'Grace 🚀' }) }) as never);
      expect(core.store.all()[0]!.payload).toMatchObject({ inviterName: 'Grace 🚀' });
    });

    it('refuses a payload nested 5 000 deep with a ValidationError, not a stack overflow, even for a host kind with a recursive validator', async () => {
      const core = aCore();
      const walk = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(walk)) : 0);
      core.kinds.define({ kind: 'acme.tree', validate: (p) => (walk(p) > 0 ? [] : [{ field: 'payload', problem: 'must be an object' }]) });
      for (const input of [
        { kind: 'acme.tree', recipient: aRecipientInput(), payload: { tree: nestedValue(5000) } },
        {
          kind: 'query-results-changed',
          recipient: aRecipientInput(),
          payload: { ...aQueryResultsChanged(), linkPath: nestedValue(5000) },
        },
      ]) {
        const error = await rejection(core.notify.execute(input));
        expect(error.code).toBe('NOTIFICATION.INVALID_PAYLOAD');
        expect(error.field).toMatch(/^payload\.(tree|linkPath)(\.next)+$/);
        expect(error.message).toContain(`nested more than ${MAX_PAYLOAD_DEPTH} levels deep`);
      }
      const cyclic: Record<string, unknown> = { name: 'loop' };
      cyclic.self = cyclic;
      expect(
        (await rejection(core.notify.execute({ kind: 'acme.tree', recipient: aRecipientInput(), payload: cyclic }))).message,
      ).toContain('nested more than');
      expect(core.store.all()).toEqual([]);
    });

    it(`accepts ${MAX_PAYLOAD_DEPTH} levels of nesting and refuses one more`, async () => {
      const core = aCore();
      core.kinds.define({ kind: 'acme.tree', validate: () => [] });
      await core.notify.execute({ kind: 'acme.tree', recipient: aRecipientInput(), payload: { tree: nestedValue(MAX_PAYLOAD_DEPTH - 1) } });
      await rejection(
        core.notify.execute({ kind: 'acme.tree', recipient: aRecipientInput(), payload: { tree: nestedValue(MAX_PAYLOAD_DEPTH) } }),
      );
      expect(core.store.all()).toHaveLength(1);
    });
  });

  describe('payload size', () => {
    it('refuses a payload over 64 KiB by default, naming the payload and its size, storing nothing', async () => {
      const core = aCore();
      const error = await rejection(
        core.notify.execute({ kind: 'change-request', recipient: aRecipientInput(), payload: aLargeChangeRequest(70_000) }),
      );
      expect(error.code).toBe('NOTIFICATION.PAYLOAD_TOO_LARGE');
      expect(error.field).toBe('payload');
      expect(error.message).toMatch(/payload is \d+ bytes as JSON, more than the limit of 65536/);
      expect(core.store.all()).toEqual([]);
    });

    it('counts UTF-8 bytes, applies to host kinds too, and takes its limit from the settings', async () => {
      const core = aCore({ payloadLimits: { maxBytes: 1024, maxBytesSetting: 'limits.payloadBytes' } });
      core.kinds.define({ kind: 'acme.note', validate: () => [] });
      const note = (text: string) => ({ kind: 'acme.note', recipient: aRecipientInput(), payload: { text } });
      await core.notify.execute(note('x'.repeat(1000)));
      const error = await rejection(core.notify.execute(note('€'.repeat(400)))); // 400 characters, 1 200 bytes
      expect(error.message).toContain('more than the limit of 1024');
      expect(error.message).toContain('raise limits.payloadBytes');
      expect(core.store.all()).toHaveLength(1);
    });
  });

  it('reports every wrong field at once, the first as .field, each issue with its code', async () => {
    const core = aCore();
    const error = await rejection(
      core.notify.execute({
        kind: 'user-invite',
        recipient: aRecipientInput({ address: 'not an address' }),
        payload: aUserInvite({ acceptLinkPath: 'javascript:alert(1)' }),
        dedupeKey: '',
      }),
    );
    expect(error.issues.map((i) => [i.field, i.code])).toEqual([
      ['recipient.address', 'ADDRESS.INVALID'],
      ['payload.acceptLinkPath', 'NOTIFICATION.INVALID_PAYLOAD'],
      ['dedupeKey', 'NOTIFICATION.INVALID_DEDUPE_KEY'],
    ]);
    expect(error.field).toBe('recipient.address');
    expect(error.code).toBe('ADDRESS.INVALID');
    expect(error.message).toMatch(/recipient\.address .*; payload\.acceptLinkPath .*; dedupeKey /);
    expect(core.store.all()).toEqual([]);
  });

  it('names the first wrong field as .field when only one check fails', async () => {
    const core = aCore();
    const error = await rejection(
      core.notify.execute({ kind: 'user-invite', recipient: aRecipientInput({ userId: '' }), payload: aUserInvite() }),
    );
    expect(error.field).toBe('recipient.userId');
  });
});
