import {
  BUILT_IN_KINDS,
  composeMail,
  DIGEST_KIND,
  EmailAddress,
  KindRegistry,
  pendingNotification,
  Unsubscribe,
  unsubscribeScope,
  type KindDefinition,
  type UnsubscribeLinks,
  type UnsubscribeScope,
} from '@mailroom/domain';
import { InMemoryPreferenceStore, InMemorySubscriptionStore, ManualClock } from '@mailroom/adapters';
import { aNewNotification, aRecipient, aSubscription, T0 } from '../support/mothers';
import { RecordingRenderer } from '../support/recording-renderer';

/** A kind the host marks mandatory; `mandatory` may not be declared on KindDefinition yet, so it is added as data. */
const SECURITY_NOTICE = {
  ...BUILT_IN_KINDS.find((k) => k.kind === 'import-failed')!,
  kind: 'acme.security-notice',
  mandatory: true,
} as KindDefinition;
const kinds = () => new KindRegistry().define(SECURITY_NOTICE);

/** Shows the scopes it was asked for, as headers a test can read. */
class ScopeLinks implements UnsubscribeLinks {
  readonly asked: UnsubscribeScope[] = [];
  headersFor(scope: UnsubscribeScope) {
    this.asked.push(scope);
    return {
      'List-Unsubscribe': `<https://idm.example.com/unsubscribe?for=${scope.userId}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    };
  }
}

describe('unsubscribeScope: what a mail lets its recipient turn off', () => {
  const ada = aRecipient({ userId: 'ada', address: 'ada@example.com' });

  it('the topic for a mail from a subscription, else its kind; nothing for a mandatory kind', () => {
    const fromTopic = pendingNotification(aNewNotification({ recipient: ada, topic: 'query:42' }));
    expect(unsubscribeScope(fromTopic, kinds())).toEqual({
      userId: 'ada',
      address: 'ada@example.com',
      kinds: ['query-results-changed'],
      topic: 'query:42',
    });
    const direct = pendingNotification(aNewNotification({ recipient: ada, kind: 'import-failed' }));
    expect(unsubscribeScope(direct, kinds())).toEqual({ userId: 'ada', address: 'ada@example.com', kinds: ['import-failed'] });
    const notice = pendingNotification(aNewNotification({ recipient: ada, kind: 'acme.security-notice' }));
    expect(unsubscribeScope(notice, kinds())).toBeUndefined();
  });

  it('for a digest, the distinct optional kinds it lists; nothing when all are mandatory', () => {
    const item = (kind: string) => ({ id: kind, kind, payload: {}, createdAt: T0.toISOString() });
    const digest = (items: string[]) =>
      pendingNotification(
        aNewNotification({
          recipient: ada,
          kind: DIGEST_KIND,
          payload: {
            periodStart: T0.toISOString(),
            periodEnd: T0.toISOString(),
            items: items.map(item),
            totalCount: items.length,
            moreCount: 0,
          },
        }),
      );
    expect(
      unsubscribeScope(digest(['query-results-changed', 'import-failed', 'acme.security-notice', 'import-failed']), kinds())?.kinds,
    ).toEqual(['import-failed', 'query-results-changed']);
    expect(unsubscribeScope(digest(['acme.security-notice']), kinds())).toBeUndefined();
  });
});

describe('composeMail with unsubscribe links', () => {
  const from = EmailAddress.parse('noreply@idm.example.com');

  it('adds the one-click headers to an optional mail, next to Auto-Submitted; none to a mandatory one', async () => {
    const links = new ScopeLinks();
    const optional = await composeMail(
      pendingNotification(aNewNotification({ kind: 'import-failed' })),
      new RecordingRenderer(),
      kinds(),
      from,
      links,
    );
    expect(optional.headers).toMatchObject({ 'Auto-Submitted': 'auto-generated', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect(optional.headers?.['List-Unsubscribe']).toMatch(/^<https:\/\/idm\.example\.com\/unsubscribe\?for=/);
    const mandatory = await composeMail(
      pendingNotification(aNewNotification({ kind: 'acme.security-notice' })),
      new RecordingRenderer(),
      kinds(),
      from,
      links,
    );
    expect(mandatory.headers).toEqual({ 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'OOF, AutoReply' });
    expect(links.asked).toHaveLength(1);
  });

  it('adds none without links (no key configured)', async () => {
    const mail = await composeMail(
      pendingNotification(aNewNotification({ kind: 'import-failed' })),
      new RecordingRenderer(),
      kinds(),
      from,
    );
    expect(Object.keys(mail.headers ?? {})).not.toContain('List-Unsubscribe');
  });
});

describe('Unsubscribe: applying a verified scope', () => {
  it('turns each kind off for the recipient, leaving mandatory kinds on', async () => {
    const preferences = new InMemoryPreferenceStore();
    const unsubscribe = new Unsubscribe(preferences, new InMemorySubscriptionStore(), kinds(), new ManualClock(T0.toISOString()));
    const outcome = await unsubscribe.apply({
      userId: 'ada',
      address: 'ada@example.com',
      kinds: ['import-failed', 'acme.security-notice'],
    });
    expect(outcome).toEqual({ kindsOff: ['import-failed'] });
    expect(await preferences.of('ada')).toEqual([{ userId: 'ada', kind: 'import-failed', choice: 'off', updatedAt: T0 }]);
  });

  it('ends the subscription of a topic, and changes nothing more when applied twice', async () => {
    const subscriptions = new InMemorySubscriptionStore();
    const ada = aRecipient({ userId: 'ada', address: 'ada@example.com' });
    await subscriptions.subscribe(aSubscription({ subscriber: ada, topic: 'query:42' }));
    const preferences = new InMemoryPreferenceStore();
    const unsubscribe = new Unsubscribe(preferences, subscriptions, kinds(), new ManualClock(T0.toISOString()));
    const scope = { userId: 'ada', address: 'ada@example.com', kinds: ['query-results-changed'], topic: 'query:42' };
    expect(await unsubscribe.apply(scope)).toEqual({ topic: { topic: 'query:42', ended: true }, kindsOff: [] });
    expect(await unsubscribe.apply(scope)).toEqual({ topic: { topic: 'query:42', ended: false }, kindsOff: [] });
    expect(await preferences.of('ada')).toEqual([]);
  });
});
