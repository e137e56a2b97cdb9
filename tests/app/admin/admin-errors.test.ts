import { adminHandler, DatabaseUnavailableError, type AdminBackend, type AdminErrorBody, type TestMailroom } from '@mailroom/app';
import { change, mountAdmin, type AdminClient } from '../../support/admin-mounts';
import { ContractSettings } from '../../support/admin-settings';
import { expectNoSecrets } from '../../support/secrets';
import { until } from '../../support/until';
import { adminTestMailroom, backendOf } from './admin-support';

const SECRET_IN_ERROR = 'Leaky-Hook-Secret-77aa';

/** Errors the backend throws, answered in the one shape: typed ones with their status, anything else 500 and logged. */
describe.each(['fetch', 'node:http'] as const)('admin API error answers (%s)', (how) => {
  let mailroom: TestMailroom;
  let backend: ReturnType<typeof backendOf>;
  let admin: AdminClient;

  async function mount(override: (b: AdminBackend) => AdminBackend = (b) => b, hook = async () => ({ id: 'ada' })) {
    admin = await mountAdmin(adminHandler(override(backend), { authorize: hook, basePath: '/api/mailroom' }), how);
  }

  beforeEach(async () => {
    mailroom = await adminTestMailroom();
    backend = backendOf(mailroom, new ContractSettings({}));
  });

  afterEach(async () => {
    await admin.close();
    await mailroom.stop();
    expectNoSecrets(admin.bodies, [SECRET_IN_ERROR]);
  });

  it('answers 503 while the database does not answer, saying to try again', async () => {
    const down = new DatabaseUnavailableError('postgres://db.internal/mailroom', 'connection refused');
    await mount((b) => ({ ...b, outbox: { ...b.outbox, counts: () => Promise.reject(down) } }));
    const response = await admin('/outbox/counts');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: { code: 'DATABASE.UNAVAILABLE', message: expect.stringContaining('Try again') } });
  });

  it('answers anything unexpected with 500 and a generic message, and logs the error', async () => {
    const surprise = new Error(`pool exploded with password ${SECRET_IN_ERROR}`);
    await mount((b) => ({ ...b, doctor: () => Promise.reject(surprise) }));
    const response = await admin('/doctor');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { code: 'ADMIN.INTERNAL', message: "Mailroom could not answer this request; the reason is in Mailroom's log." },
    });
    expect(backend.calls.logged).toEqual([['admin API: unexpected error', { err: surprise, where: 'GET /doctor' }]]);
  });

  it("answers a failing authorize hook with 500, without the hook's message", async () => {
    await mount(undefined, () => Promise.reject(new Error(`session store said ${SECRET_IN_ERROR}`)));
    const response = await admin('/health');
    expect(response.status).toBe(500);
    expect(((await response.json()) as AdminErrorBody).error.code).toBe('ADMIN.INTERNAL');
    expect(backend.calls.logged).toHaveLength(1);
  });

  it('reports a retry-all that failed as a finished job with the error, in words', async () => {
    const down = new DatabaseUnavailableError('postgres://db.internal/mailroom', 'connection refused');
    await mount((b) => ({ ...b, outbox: { ...b.outbox, retryDead: () => Promise.reject(down) } }));
    const job = (await (await admin('/outbox/retry-all', change('POST', {}))).json()) as { id: string };
    let progress: { finished: boolean } | undefined;
    await until(
      async () => (progress = (await (await admin(`/outbox/retry-all/${job.id}`)).json()) as { finished: boolean }).finished,
      'the job to finish',
    );
    expect(progress).toMatchObject({
      finished: true,
      error: { code: 'DATABASE.UNAVAILABLE', message: expect.stringContaining('connection refused') },
    });
  });

  it('serves below its base path only', async () => {
    await mount();
    expect((await admin('/health')).status).toBe(200);
    expect(await admin.raw('/health').then((r) => r.status)).toBe(404);
  });
});
