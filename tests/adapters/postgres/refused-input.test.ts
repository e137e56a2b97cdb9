import { KindRegistry, Notify, Subscriptions, ValidationError, type NotifyInput } from '@mailroom/domain';
import { ManualClock, UuidIdSource } from '@mailroom/adapters';
import { aRecipientInput } from '../../support/mothers';
import { aLargeChangeRequest, aQueryResultsChanged, aUserInvite, nestedValue } from '../../support/payloads';
import { describeOnSystemPostgres, openPostgresStores, SYSTEM_POSTGRES_URL, type PostgresStores } from '../../support/postgres';

/**
 * Input PostgreSQL cannot hold (NUL in text or jsonb) or would silently change (a lone surrogate becomes
 * U+FFFD) must stop at validation: a typed error naming the field, never a raw driver error, nothing stored.
 */
describeOnSystemPostgres()('refused input on the Postgres store', () => {
  let stores: PostgresStores;
  let notify: Notify;
  let subscriptions: Subscriptions;
  beforeAll(async () => {
    stores = await openPostgresStores(SYSTEM_POSTGRES_URL);
    const kinds = new KindRegistry();
    const clock = new ManualClock('2026-01-05T09:00:00.000Z');
    notify = new Notify(stores.notifications, kinds, clock, new UuidIdSource());
    subscriptions = new Subscriptions(stores.subscriptions, stores.notifications, kinds, clock);
  });
  afterAll(() => stores.close());

  async function rows(): Promise<number> {
    const [{ count }] = await stores.dataSource.query(
      `SELECT (SELECT count(*) FROM "${stores.schema}".notifications) + (SELECT count(*) FROM "${stores.schema}".subscriptions) AS count`,
    );
    return Number(count);
  }

  const invite = (overrides: Partial<NotifyInput<'user-invite'>> = {}): NotifyInput<'user-invite'> => ({
    kind: 'user-invite',
    recipient: aRecipientInput({ userId: 'u1', address: 'ada@example.com' }),
    payload: aUserInvite(),
    ...overrides,
  });

  it.each([
    ['NUL in the user id', invite({ recipient: aRecipientInput({ userId: 'u\u00001', address: 'ada@example.com' }) }), 'recipient.userId'],
    ['NUL in the dedupe key', invite({ dedupeKey: 'invite:\u0000' }), 'dedupeKey'],
    ['NUL in the topic', invite({ topic: 'query:4\u00002' }), 'topic'],
    ['NUL in a payload string', invite({ payload: aUserInvite({ accountName: 'acme\u0000' }) }), 'payload.accountName'],
    ['a lone surrogate in a payload string', invite({ payload: aUserInvite({ inviterName: 'Grace \uD83D' }) }), 'payload.inviterName'],
    [
      'a lone surrogate in the address',
      invite({ recipient: aRecipientInput({ userId: 'u1', address: 'a\uD800b@example.com' }) }),
      'recipient.address',
    ],
    [
      'a payload nested 5 000 deep',
      invite({ payload: { ...aUserInvite(), expiresAt: nestedValue(5000) } as never }),
      'payload.expiresAt.next',
    ],
    ['a payload over 64 KiB', { kind: 'change-request', recipient: aRecipientInput(), payload: aLargeChangeRequest(70_000) }, 'payload'],
  ])('notify: %s is a ValidationError naming the field, nothing stored', async (_what, input, field) => {
    const error = await notify.execute(input as NotifyInput).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field.startsWith(field)).toBe(true);
    expect(await rows()).toBe(0);
  });

  it('publish and subscribe: NUL and lone surrogates are typed errors, nothing stored', async () => {
    await expect(subscriptions.subscribe({ recipient: aRecipientInput({ userId: 'u\u00002' }), topic: 'query:42' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      subscriptions.publish('query:42', 'query-results-changed', aQueryResultsChanged({ queryName: '\u0000' })),
    ).rejects.toMatchObject({
      field: 'payload.queryName',
    });
    await expect(subscriptions.unsubscribe('u\u00002', 'query:42')).rejects.toMatchObject({ field: 'userId' });
    expect(await rows()).toBe(0);
  });

  it('still stores a valid notification with an emoji in it', async () => {
    await notify.execute(invite({ payload: aUserInvite({ inviterName: 'Grace 🚀' }) }));
    const [row] = await stores.dataSource.query(`SELECT payload FROM "${stores.schema}".notifications`);
    expect(row.payload.inviterName).toBe('Grace 🚀');
    await stores.reset();
  });
});
