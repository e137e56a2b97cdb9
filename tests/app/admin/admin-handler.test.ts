import {
  adminHandler,
  AdminRefusedError,
  type AdminErrorBody,
  type AdminIdentity,
  type DoctorReport,
  type TestMailroom,
} from '@mailroom/app';
import { MailSendError } from '@mailroom/domain';
import { change, mountAdmin, MOUNTS, type AdminClient, type Mount } from '../../support/admin-mounts';
import { ContractSettings } from '../../support/admin-settings';
import { expectNoSecrets } from '../../support/secrets';
import { aUserInvite } from '../../support/payloads';
import { until } from '../../support/until';
import { adminTestMailroom, backendOf, CLIENT_SECRET, deadLetters, STORED_SECRET } from './admin-support';

/** The host's hook in these tests: the user named in `x-test-user`; mallory is known and refused; nobody is anonymous. */
async function authorize(request: Request): Promise<AdminIdentity | undefined> {
  const user = request.headers.get('x-test-user');
  if (user === null) return undefined;
  if (user === 'mallory') throw new AdminRefusedError('mallory may read mail but not administer Mailroom: ask for the mail-admin role.');
  return user === 'no-email' ? { id: user } : { id: user, email: `${user}@example.com` };
}

const as = (user: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { ...(init.headers as Record<string, string>), 'x-test-user': user },
});
/** An answer's JSON, typed as far as a test reads into it. */
const json = async <T = Record<string, unknown>>(response: Response): Promise<T> => (await response.json()) as T;
type ErrorAnswer = AdminErrorBody;
interface Page {
  items: { id: string }[];
  next?: string;
}
interface Job {
  id: string;
  finished: boolean;
  error?: unknown;
}
interface OpenApi {
  paths: Record<string, Record<string, { parameters: { name: string; in: string }[]; requestBody: unknown }>>;
}

describe.each(MOUNTS)('the admin API, mounted at /admin with %s', (how: Mount) => {
  let mailroom: TestMailroom;
  let settings: ContractSettings;
  let backend: ReturnType<typeof backendOf>;
  let admin: AdminClient;

  beforeEach(async () => {
    mailroom = await adminTestMailroom();
    settings = new ContractSettings({
      'smtp.port': { type: 'int' },
      'smtp.auth.password': { type: 'string', secret: true },
      'smtp.host': { type: 'string', locked: true },
    });
    backend = backendOf(mailroom, settings);
    admin = await mountAdmin(adminHandler(backend, { authorize, basePath: '/admin' }), how);
  });

  afterEach(async () => {
    await admin.close();
    await mailroom.stop();
    // Whatever a test asked, no answer carried the configured client secret or a stored secret.
    expect(admin.bodies.length).toBeGreaterThan(0);
    expectNoSecrets(admin.bodies, [CLIENT_SECRET, STORED_SECRET]);
  });

  describe('who may call', () => {
    it('answers 401 without an identity, with the one error shape', async () => {
      const response = await admin('/health');
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await json(response)).toEqual({ error: { code: 'ADMIN.UNAUTHENTICATED', message: expect.stringMatching(/sign in/) } });
    });

    it("answers 403 with the hook's reason when it refuses a known caller", async () => {
      const response = await admin('/health', as('mallory'));
      expect(response.status).toBe(403);
      expect(await json(response)).toEqual({
        error: { code: 'ADMIN.REFUSED', message: expect.stringMatching(/ask for the mail-admin role/) },
      });
    });

    it('serves openapi.json without sign-in: the paths of every route, generated from the request schemas', async () => {
      const response = await admin('/openapi.json');
      expect(response.status).toBe(200);
      const doc = await json<OpenApi>(response);
      expect(doc).toMatchObject({ openapi: '3.1.0', servers: [{ url: '/admin' }] });
      expect(Object.keys(doc.paths).sort()).toEqual(
        [
          '/doctor',
          '/health',
          '/outbox/counts',
          '/outbox/dead-letters',
          '/outbox/notifications/{id}',
          '/outbox/retry',
          '/outbox/retry-all',
          '/outbox/retry-all/{job}',
          '/settings',
          '/settings/{path}',
          '/settings/history',
          '/settings/check',
          '/settings/send-test',
          '/suppressions',
          '/suppressions/{address}',
          '/templates',
          '/templates/preview',
          '/templates/{name}',
        ].sort(),
      );
      expect(Object.keys(doc.paths['/settings']!)).toEqual(['get', 'patch']);
      const deadLetterQuery = doc.paths['/outbox/dead-letters']!.get!.parameters.map((p) => `${p.in}:${p.name}`);
      expect(deadLetterQuery).toEqual(['query:kind', 'query:recipient', 'query:reason', 'query:limit', 'query:after']);
      expect(doc.paths['/outbox/retry']!.post!.requestBody).toMatchObject({
        required: true,
        content: {
          'application/json': { schema: { type: 'object', required: ['ids'], properties: { ids: { type: 'array', minItems: 1 } } } },
        },
      });
    });

    it('answers an unknown route with 404 naming openapi.json', async () => {
      const response = await admin('/nope', as('ada'));
      expect(response.status).toBe(404);
      expect((await json(response)).error).toMatchObject({
        code: 'ADMIN.NO_SUCH_ROUTE',
        message: expect.stringContaining('/admin/openapi.json'),
      });
    });
  });

  describe('cross-site request forgery', () => {
    const retry = (init: RequestInit) =>
      admin('/outbox/retry', as('ada', { method: 'POST', body: JSON.stringify({ ids: ['x'] }), ...init }));

    it('refuses a change that is not JSON, saying what to send', async () => {
      const response = await retry({ headers: { 'content-type': 'text/plain', 'x-mailroom-request': '1' } });
      expect(response.status).toBe(403);
      expect((await json(response)).error).toEqual({
        code: 'ADMIN.CSRF_CONTENT_TYPE',
        message: expect.stringContaining('Content-Type: application/json'),
      });
      const form = await retry({ headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-mailroom-request': '1' } });
      expect(form.status).toBe(403);
    });

    it('refuses JSON without the custom header or a same-site Origin, saying how to fix it', async () => {
      const response = await retry({ headers: { 'content-type': 'application/json' } });
      expect(response.status).toBe(403);
      expect((await json(response)).error).toEqual({
        code: 'ADMIN.CSRF_ORIGIN',
        message: expect.stringContaining('X-Mailroom-Request: 1'),
      });
      const evil = await retry({ headers: { 'content-type': 'application/json', origin: 'https://evil.example.net' } });
      expect(evil.status).toBe(403);
      expect((await json<ErrorAnswer>(evil)).error.message).toContain('not https://evil.example.net');
    });

    it('lets through the custom header, an Origin of the same host, and a bearer token (no cookie a browser adds by itself)', async () => {
      // Past the CSRF checks: the outbox itself answers (no such dead letter).
      expect((await retry({ headers: { 'content-type': 'application/json; charset=utf-8', 'x-mailroom-request': '1' } })).status).toBe(404);
      expect((await retry({ headers: { 'content-type': 'application/json', authorization: 'Bearer anything' } })).status).toBe(404);
      const sameSite = await retry({ headers: { 'content-type': 'application/json', origin: admin.origin } });
      expect(sameSite.status).toBe(404);
    });

    it('needs no CSRF proof to read', async () => {
      expect((await admin('/outbox/counts', as('ada'))).status).toBe(200);
    });
  });

  describe('health and the outbox', () => {
    it('serves health and the doctor, which names the failing step', async () => {
      const health = await json(await admin('/health', as('ada')));
      expect(health).toMatchObject({ ok: true, database: { ok: true }, delivery: { state: 'healthy' } });
      const doctor = await json<DoctorReport>(await admin('/doctor', as('ada')));
      expect(doctor.ok).toBe(false);
      expect(doctor.steps.length).toBeGreaterThan(0);
    });

    it('counts mails by status with the age of the oldest waiting mail', async () => {
      await deadLetters(mailroom, [{ userId: 'u1', address: 'ada@example.com' }]);
      await mailroom.notify({
        kind: 'user-invite',
        recipient: { userId: 'u2', address: 'bob@example.com' },
        payload: aUserInvite(),
      });
      mailroom.clock.advance(90_000);
      const body = await json(await admin('/outbox/counts', as('ada')));
      expect(body.counts).toEqual({ pending: 1, sending: 0, sent: 0, dead: 1, digested: 0, skipped: 0, suppressed: 0 });
      expect(body.oldestPending).toMatchObject({ ageSeconds: 90 });
    });

    it('pages dead letters newest first and filters them by kind, recipient (address or user id) and reason (code, family or class)', async () => {
      const ada = await deadLetters(mailroom, [
        { userId: 'u-ada', address: 'ada@example.com' },
        { userId: 'u-ada', address: 'ada@example.com', kind: 'import-failed' },
        { userId: 'u-ada', address: 'ada@example.com' },
      ]);
      const bob = await deadLetters(
        mailroom,
        [
          { userId: 'u-bob', address: 'bob@example.com', kind: 'import-failed' },
          { userId: 'u-bob', address: 'bob@example.com' },
        ],
        () => new MailSendError('permanent', '550 5.1.10 Recipient not found', { responseCode: 550, code: 'SEND.PERMANENT.NO_MAILBOX' }),
      );
      const all = [...ada, ...bob].reverse();
      const page = async (query: string) => json<Page>(await admin(`/outbox/dead-letters?${query}`, as('ada')));
      const ids = async (query: string) => (await page(query)).items.map((i: { id: string }) => i.id);

      const first = await page('limit=2');
      expect(first.items.map((i: { id: string }) => i.id)).toEqual(all.slice(0, 2));
      expect(first.items[0]).toMatchObject({
        kind: 'user-invite',
        recipient: { userId: 'u-bob', address: 'bob@example.com' },
        attempts: 1,
        reason: { code: 'SEND.PERMANENT.NO_MAILBOX', message: expect.stringContaining('Recipient not found'), responseCode: 550 },
        hint: expect.stringContaining("Check the recipient's address"),
      });
      const second = await page(`limit=2&after=${first.next}`);
      expect(second.items.map((i: { id: string }) => i.id)).toEqual(all.slice(2, 4));
      const last = await page(`limit=2&after=${second.next}`);
      expect(last.items.map((i: { id: string }) => i.id)).toEqual(all.slice(4));
      expect(last.next).toBeUndefined();

      expect(await ids('kind=import-failed')).toEqual([bob[0], ada[1]]);
      expect(await ids('recipient=ADA@Example.com')).toEqual([...ada].reverse());
      expect(await ids('recipient=u-bob')).toEqual([...bob].reverse());
      expect(await ids('reason=SEND.PERMANENT.NO_MAILBOX')).toEqual([...bob].reverse());
      expect(await ids('reason=SEND.PERMANENT')).toEqual(all);
      expect(await ids('reason=permanent&recipient=ada@example.com&kind=user-invite')).toEqual([ada[2], ada[0]]);
      expect(await ids('reason=transient')).toEqual([]);
    });

    it('refuses a wrong page size with every wrong field named', async () => {
      const response = await admin('/outbox/dead-letters?limit=0', as('ada'));
      expect(response.status).toBe(422);
      expect((await json(response)).error).toMatchObject({
        code: 'ADMIN.INVALID_REQUEST',
        issues: [{ field: 'query.limit', problem: expect.any(String) }],
      });
    });

    it('shows one mail with its attempts and last error; 404 for an unknown id', async () => {
      const [id] = await deadLetters(mailroom, [{ userId: 'u1', address: 'ada@example.com' }]);
      const body = await json(await admin(`/outbox/notifications/${id}`, as('ada')));
      expect(body).toMatchObject({
        id,
        status: 'dead',
        attempts: 1,
        lastError: { code: 'SEND.PERMANENT', responseCode: 550 },
        recipient: { address: 'ada@example.com' },
      });
      const missing = await admin('/outbox/notifications/no-such-id', as('ada'));
      expect(missing.status).toBe(404);
      expect((await json<ErrorAnswer>(missing)).error.code).toBe('OUTBOX.NOT_FOUND');
    });

    it('retries chosen dead letters, and names the ids that are not dead letters', async () => {
      const [a, b] = await deadLetters(mailroom, [
        { userId: 'u1', address: 'ada@example.com' },
        { userId: 'u2', address: 'bob@example.com' },
      ]);
      const response = await admin('/outbox/retry', as('ada', change('POST', { ids: [a] })));
      expect(response.status).toBe(200);
      expect(await json(response)).toEqual({ retried: 1 });
      expect((await mailroom.outbox.get(a!)).status).toBe('pending');
      expect((await mailroom.outbox.get(b!)).status).toBe('dead');
      const again = await admin('/outbox/retry', as('ada', change('POST', { ids: [a] })));
      expect(again.status).toBe(404);
      expect((await json(again)).error).toMatchObject({ code: 'OUTBOX.NOT_DEAD', message: expect.stringContaining(a!) });
    });

    it('refuses a malformed or invalid retry body', async () => {
      const empty = await admin('/outbox/retry', as('ada', change('POST', { ids: [] })));
      expect(empty.status).toBe(422);
      expect((await json<ErrorAnswer>(empty)).error.issues).toEqual([expect.objectContaining({ field: 'body.ids' })]);
      const extra = await admin('/outbox/retry', as('ada', change('POST', { ids: ['a'], all: true })));
      expect(extra.status).toBe(422);
      const broken = await admin('/outbox/retry', as('ada', { ...change('POST'), body: '{"ids": [' }));
      expect(broken.status).toBe(400);
      // Behind the host's own JSON parser, the host answers a malformed body before Mailroom sees it.
      if (how !== 'express after express.json()') expect((await json<ErrorAnswer>(broken)).error.code).toBe('ADMIN.MALFORMED_JSON');
    });

    it('retries every dead letter as a job whose progress it reports until finished', async () => {
      await deadLetters(
        mailroom,
        Array.from({ length: 5 }, (_, i) => ({ userId: `u${i}`, address: `user${i}@example.com` })),
      );
      const started = await admin('/outbox/retry-all', as('ada', change('POST', { batchSize: 2 })));
      expect(started.status).toBe(202);
      const job = await json<Job>(started);
      expect(job).toMatchObject({ id: expect.any(String), startedBy: 'ada' });
      let progress: Job | undefined;
      await until(async () => {
        progress = await json<Job>(await admin(`/outbox/retry-all/${job.id}`, as('ada')));
        return progress.finished;
      }, 'the retry job to finish');
      expect(progress).toMatchObject({ id: job.id, done: 5, total: 5, finished: true });
      expect(progress?.error).toBeUndefined();
      expect((await mailroom.outbox.counts()).dead).toBe(0);
      expect((await admin('/outbox/retry-all/no-such-job', as('ada'))).status).toBe(404);
    });
  });

  describe('settings (against the contract)', () => {
    it('shows the settings and stores a change as the signed-in admin', async () => {
      expect(await json(await admin('/settings', as('ada')))).toMatchObject({
        version: 0,
        settings: expect.arrayContaining([expect.objectContaining({ path: 'smtp.port' })]),
      });
      const saved = await admin(
        '/settings',
        as('ada', change('PATCH', { set: { 'smtp.port': 2525, 'smtp.auth.password': STORED_SECRET }, expectedVersion: 0 })),
      );
      expect(saved.status).toBe(200);
      const page = await json(saved);
      expect(page.version).toBe(1);
      expect(page.settings).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: 'smtp.auth.password', secret: true, set: true })]),
      );
      expect(settings.updates[0]).toEqual({
        by: 'ada',
        update: { set: { 'smtp.port': 2525, 'smtp.auth.password': STORED_SECRET }, expectedVersion: 0 },
      });
    });

    it('answers 409 on a stale version, 422 with the issues of a wrong value, and 422 for a secret without a key', async () => {
      await admin('/settings', as('ada', change('PATCH', { set: { 'smtp.port': 2525 } })));
      const stale = await admin('/settings', as('ada', change('PATCH', { set: { 'smtp.port': 2526 }, expectedVersion: 0 })));
      expect(stale.status).toBe(409);
      expect((await json(stale)).error).toMatchObject({ code: 'SETTINGS.CONFLICT', message: expect.stringContaining('load them again') });
      const wrong = await admin('/settings', as('ada', change('PATCH', { set: { 'smtp.port': 'twenty-five', 'smtp.host': 'x' } })));
      expect(wrong.status).toBe(422);
      expect((await json(wrong)).error).toMatchObject({
        code: 'CONFIG.INVALID',
        issues: [
          { field: 'smtp.port', problem: 'must be a whole number' },
          { field: 'smtp.host', problem: expect.stringContaining('environment variable') },
        ],
      });
      settings.hasKey = false;
      const noKey = await admin('/settings', as('ada', change('PATCH', { set: { 'smtp.auth.password': STORED_SECRET } })));
      expect(noKey.status).toBe(422);
      expect((await json<ErrorAnswer>(noKey)).error.code).toBe('SECRETS.KEY_MISSING');
      const shape = await admin('/settings', as('ada', change('PATCH', { set: { 'smtp.port': 1 }, expectedVersion: 'one' })));
      expect((await json<ErrorAnswer>(shape)).error.issues).toEqual([expect.objectContaining({ field: 'body.expectedVersion' })]);
    });

    it('resets one setting and pages the history by version', async () => {
      for (const port of [2525, 2526, 2527]) await admin('/settings', as('ada', change('PATCH', { set: { 'smtp.port': port } })));
      const reset = await admin('/settings/smtp.port?expectedVersion=3', as('bob', change('DELETE')));
      expect(reset.status).toBe(200);
      expect(settings.updates.at(-1)).toEqual({ by: 'bob', update: { unset: ['smtp.port'], expectedVersion: 3 } });
      const history = await json<{ entries: { version: number; by: string }[] }>(await admin('/settings/history?limit=2', as('ada')));
      expect(history.entries.map((e: { version: number; by: string }) => [e.version, e.by])).toEqual([
        [4, 'bob'],
        [3, 'ada'],
      ]);
      const older = await json<{ entries: { version: number }[] }>(await admin('/settings/history?limit=2&before=3', as('ada')));
      expect(older.entries.map((e: { version: number }) => e.version)).toEqual([2, 1]);
      expect((await admin('/settings/not a path', as('ada', change('DELETE')))).status).toBe(422);
    });

    it('checks settings, with or without an unsaved change', async () => {
      const checked = await admin('/settings/check', as('ada', change('POST', { set: { 'smtp.port': 465 } })));
      expect(checked.status).toBe(200);
      expect(await json(checked)).toMatchObject({ ok: false, steps: expect.any(Array) });
      expect((await admin('/settings/check', as('ada', change('POST')))).status).toBe(200);
      expect(backend.calls.checks).toEqual([{ set: { 'smtp.port': 465 } }, undefined]);
    });

    it("sends a test mail to the admin's own address unless told otherwise; 422 when there is none; the server's refusal as 502", async () => {
      const mine = await admin('/settings/send-test', as('ada', change('POST', {})));
      expect(mine.status).toBe(200);
      expect(await json(mine)).toMatchObject({ accepted: ['ada@example.com'] });
      await admin('/settings/send-test', as('ada', change('POST', { to: 'ops@example.com', settings: { set: { 'smtp.port': 465 } } })));
      expect(backend.calls.sendTests).toEqual([
        { to: 'ada@example.com' },
        { to: 'ops@example.com', settings: { set: { 'smtp.port': 465 } } },
      ]);
      const nowhere = await admin('/settings/send-test', as('no-email', change('POST', {})));
      expect(nowhere.status).toBe(422);
      expect((await json(nowhere)).error).toMatchObject({ code: 'ADMIN.SEND_TEST_TO', issues: [{ field: 'to' }] });
      mailroom.sender.failNext(
        1,
        new MailSendError('permanent', '550 5.7.1 Relaying denied', { responseCode: 550, hint: 'Send to a mailbox of your domain.' }),
      );
      const refused = await admin('/settings/send-test', as('ada', change('POST', {})));
      expect(refused.status).toBe(502);
      expect((await json(refused)).error).toMatchObject({
        code: 'SEND.PERMANENT',
        responseCode: 550,
        hint: 'Send to a mailbox of your domain.',
      });
    });
  });
});
