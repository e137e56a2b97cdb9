import { createMailroom, createTestMailroom, TOKENS, ValidationError, type Mailroom } from '@mailroom/app';
import { field, payloadSchema, type Delivery, type KindDefinition, type PreferenceChoice } from '@mailroom/domain';
import { Pool } from 'pg';
import { aQueryResultsChanged, aUserInvite } from '../support/payloads';
import { describeOnSystemPostgres, SYSTEM_POSTGRES_URL, uniqueSchema } from '../support/postgres';

const REPORT: KindDefinition<'acme.report-ready'> = {
  kind: 'acme.report-ready',
  validate: payloadSchema({ reportName: field.text() }),
  defaultDelivery: 'digest',
};
const payload = { reportName: 'Leavers' };
const NOTICE: KindDefinition<'acme.security-notice'> = {
  kind: 'acme.security-notice',
  validate: payloadSchema({ reportName: field.text() }),
  mandatory: true,
};
const KINDS = [REPORT, NOTICE];
const TEMPLATES = Object.fromEntries(
  KINDS.flatMap(({ kind }) => ['subject', 'html', 'text'].map((part) => [`${kind}.${part}`, 'Report <%= it.payload.reportName %>'])),
);
const SAMPLES = { [REPORT.kind]: payload, [NOTICE.kind]: payload };
type Kinds = 'acme.report-ready' | 'acme.security-notice';
const TOPIC = 'query:42';

/** Where the recipient's choice was saved: for the kind on every topic, on the mail's topic, or on another topic. */
type Scope = 'kind-wide' | 'this topic' | 'other topic';

/** What `effectiveChoice` promises, spelt out for the matrix: the choice, when it applies, replaces the request. */
function expected(choice: PreferenceChoice, scope: Scope, mandatory: boolean, requested: Delivery) {
  if (scope === 'other topic') return { delivery: requested, status: 'pending' };
  if (choice === 'off') return { delivery: requested, status: mandatory ? 'pending' : 'skipped' };
  return { delivery: choice, status: 'pending' };
}

const cells = (['kind-wide', 'this topic', 'other topic'] as const).flatMap((scope) =>
  (['immediate', 'digest', 'off'] as const).flatMap((choice) => [false, true].map((mandatory) => ({ scope, choice, mandatory }))),
);

/**
 * The preference matrix (kind × topic × mandatory) through `notify` and `publish`, on the in-memory Mailroom and on a
 * PostgreSQL one (where the fan-out joins the choices in its one INSERT … SELECT).
 */
function preferenceMatrix(name: string, build: () => Promise<Mailroom<Kinds>>, dispose: () => Promise<void>) {
  describe(`preferences honoured: ${name}`, () => {
    let mailroom: Mailroom<Kinds>;
    beforeAll(async () => {
      mailroom = await build();
    });
    afterAll(dispose);

    /** Saved straight in the store, as a choice made before the host made the kind mandatory would be. */
    const save = (userId: string, kind: string, choice: PreferenceChoice, scope: Scope) =>
      mailroom.container.get(TOKENS.PreferenceStore).set({
        userId,
        kind,
        choice,
        updatedAt: new Date(),
        ...(scope === 'kind-wide' ? {} : { topic: scope === 'this topic' ? TOPIC : 'query:7' }),
      });

    test.each(cells)('notify: $choice saved $scope, mandatory $mandatory', async ({ scope, choice, mandatory }) => {
      const userId = `notify-${scope}-${choice}-${mandatory}`.replace(/ /g, '-');
      const kind = mandatory ? NOTICE.kind : REPORT.kind;
      await save(userId, kind, choice, scope);
      const requested: Delivery = choice === 'immediate' ? 'digest' : 'immediate';
      const id = await mailroom.notify({
        kind,
        recipient: { userId, address: `${userId}@example.com` },
        payload,
        topic: TOPIC,
        delivery: requested,
      });
      const n = await mailroom.outbox.get(id);
      expect({ delivery: n.delivery, status: n.status }).toEqual(expected(choice, scope, mandatory, requested));
    });

    test.each(cells)('publish: $choice saved $scope, mandatory $mandatory', async ({ scope, choice, mandatory }) => {
      const userId = `publish-${scope}-${choice}-${mandatory}`.replace(/ /g, '-');
      const topic = `${TOPIC}.${userId}`;
      const kind = mandatory ? NOTICE.kind : REPORT.kind;
      await mailroom.container.get(TOKENS.PreferenceStore).set({
        userId,
        kind,
        choice,
        updatedAt: new Date(),
        ...(scope === 'kind-wide' ? {} : { topic: scope === 'this topic' ? topic : 'query:7' }),
      });
      const requested: Delivery = choice === 'immediate' ? 'digest' : 'immediate';
      await mailroom.subscribe({ recipient: { userId, address: `${userId}@example.com` }, topic, delivery: requested });
      expect(await mailroom.publish(topic, kind, payload)).toBe(1);
      const [n] = await mailroom.outbox.list({ userId, limit: 5 });
      expect({ delivery: n!.delivery, status: n!.status }).toEqual(expected(choice, scope, mandatory, requested));
    });

    test('a choice on the topic wins over the kind-wide one, through notify and publish', async () => {
      const userId = 'both-scopes';
      await save(userId, 'query-results-changed', 'off', 'kind-wide');
      await save(userId, 'query-results-changed', 'digest', 'this topic');
      await mailroom.subscribe({ recipient: { userId, address: 'both@example.com' }, topic: TOPIC });
      await mailroom.publish(TOPIC, 'query-results-changed', aQueryResultsChanged());
      const id = await mailroom.notify({
        kind: 'query-results-changed',
        recipient: { userId, address: 'both@example.com' },
        payload: aQueryResultsChanged(),
        topic: 'query:9',
      });
      const rows = await mailroom.outbox.list({ userId, limit: 5 });
      expect(rows.map((n) => [n.topic, n.delivery, n.status]).sort()).toEqual([
        ['query:42', 'digest', 'pending'],
        ['query:9', 'immediate', 'skipped'],
      ]);
      expect(rows.some((n) => n.id === id)).toBe(true);
    });

    test("the kind's default delivery holds when neither host nor recipient chose", async () => {
      const id = await mailroom.notify({ kind: REPORT.kind, recipient: { userId: 'defaults', address: 'd@example.com' }, payload });
      expect((await mailroom.outbox.get(id)).delivery).toBe('digest');
    });

    test('an "off" notification is kept as skipped, listed and counted (outbox and health)', async () => {
      const before = (await mailroom.outbox.counts()).skipped;
      await mailroom.preferences.set({ userId: 'quiet', kind: 'query-results-changed', choice: 'off' });
      const id = await mailroom.notify({
        kind: 'query-results-changed',
        recipient: { userId: 'quiet', address: 'quiet@example.com' },
        payload: aQueryResultsChanged(),
      });
      expect((await mailroom.outbox.get(id)).status).toBe('skipped');
      expect((await mailroom.outbox.counts()).skipped).toBe(before + 1);
      expect((await mailroom.health()).outbox?.skipped).toBe(before + 1);
      expect(await mailroom.outbox.list({ status: 'skipped', userId: 'quiet', limit: 5 })).toHaveLength(1);
    });

    test('preferences: set, read and clear; off refused for a mandatory kind (named), unknown kinds refused', async () => {
      await mailroom.preferences.set({ userId: 'ada', kind: 'query-results-changed', topic: TOPIC, choice: 'digest' });
      await mailroom.preferences.set({ userId: 'ada', kind: 'user-invite', choice: 'digest' });
      expect((await mailroom.preferences.of('ada')).map((p) => [p.kind, p.topic, p.choice])).toEqual([
        ['query-results-changed', TOPIC, 'digest'],
        ['user-invite', undefined, 'digest'],
      ]);
      for (const kind of ['user-invite', 'access-review-requested', 'workflow-task-assigned', NOTICE.kind]) {
        const refused = mailroom.preferences.set({ userId: 'ada', kind, choice: 'off' });
        await expect(refused).rejects.toThrow(ValidationError);
        await expect(refused).rejects.toThrow(`"${kind}" is mandatory`);
      }
      await expect(mailroom.preferences.set({ userId: 'ada', kind: 'acme.nope', choice: 'off' })).rejects.toMatchObject({
        field: 'kind',
      });
      expect(await mailroom.preferences.clear({ userId: 'ada', kind: 'query-results-changed', topic: TOPIC })).toBe(true);
      expect(await mailroom.preferences.clear({ userId: 'ada', kind: 'query-results-changed', topic: TOPIC })).toBe(false);
      expect((await mailroom.preferences.of('ada')).map((p) => p.kind)).toEqual(['user-invite']);
    });

    test('an invite to an address alone (no user id) goes out as asked', async () => {
      const id = await mailroom.notify({ kind: 'user-invite', recipient: { address: 'new@example.com' }, payload: aUserInvite() });
      expect((await mailroom.outbox.get(id)).status).toBe('pending');
    });
  });
}

let memory: Mailroom<Kinds> | undefined;
preferenceMatrix(
  'memory',
  async () => (memory = await createTestMailroom({ kinds: KINDS, templates: TEMPLATES, samples: SAMPLES })),
  async () => memory?.stop(),
);

const schema = uniqueSchema();
let postgres: Mailroom<Kinds> | undefined;
describeOnSystemPostgres()('on the system PostgreSQL', () => {
  preferenceMatrix(
    'PostgreSQL',
    async () =>
      (postgres = await createMailroom({
        env: {},
        kinds: KINDS,
        templates: TEMPLATES,
        samples: SAMPLES,
        config: {
          database: { schema, url: SYSTEM_POSTGRES_URL },
          smtp: { host: '127.0.0.1', port: 1, tls: 'none', auth: { type: 'none' } },
          from: { address: 'noreply@idm.example.com' },
          links: { baseUrl: 'https://idm.example.com/' },
          log: { level: 'silent' },
        },
      })),
    async () => {
      await postgres?.stop();
      const admin = new Pool({ connectionString: SYSTEM_POSTGRES_URL, max: 1 });
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  );
});
