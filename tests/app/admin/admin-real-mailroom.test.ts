import { randomBytes } from 'node:crypto';
import { adminHandler, createTestMailroom, type SettingsPage, type TemplateInfo, type TestMailroom } from '@mailroom/app';
import { change, mountAdmin, type AdminClient, type Mount } from '../../support/admin-mounts';
import { expectNoSecrets } from '../../support/secrets';

const PASSWORD = 'file-Passw0rd-of-the-server';
const NEW_PASSWORD = 'new-Passw0rd-saved-by-an-admin';

/** The admin API over a real Mailroom (in memory): settings and templates through HTTP, as the admin page uses them. */
describe.each<Mount>(['express', 'fastify'])('the admin API over a real Mailroom, mounted in %s', (how) => {
  let mailroom: TestMailroom;
  let admin: AdminClient;

  beforeEach(async () => {
    mailroom = await createTestMailroom({
      secretKey: randomBytes(32).toString('base64'),
      config: {
        smtp: { host: 'smtp.example.com', port: 587, tls: 'starttls', auth: { type: 'direct', username: 'mailer', password: PASSWORD } },
        from: { address: 'noreply@example.com' },
      },
    });
    const handler = adminHandler(mailroom, { basePath: '/admin', authorize: async () => ({ id: 'grace', email: 'grace@example.com' }) });
    admin = await mountAdmin(handler, how);
  });

  afterEach(async () => {
    await admin.close();
    await mailroom.stop();
    expectNoSecrets(admin.bodies, [PASSWORD, NEW_PASSWORD]);
  });

  it('reads the settings, saves a change as the signed-in admin, and shows it in the history', async () => {
    const before = (await (await admin('/settings')).json()) as SettingsPage;
    expect(before.settings.find((s) => s.path === 'smtp.auth.password')).toMatchObject({ secret: true, set: true, source: 'host' });

    const saved = await admin(
      '/settings',
      change('PATCH', { set: { 'smtp.auth.password': NEW_PASSWORD, 'smtp.poolSize': 2 }, expectedVersion: 0 }),
    );
    expect(saved.status).toBe(200);
    const page = (await saved.json()) as SettingsPage;
    expect(page.version).toBe(1);
    expect(page.settings.find((s) => s.path === 'smtp.poolSize')).toMatchObject({ value: 2, source: 'stored', changedBy: 'grace' });
    expect(mailroom.config.smtp?.poolSize).toBe(2);

    const stale = await admin('/settings', change('PATCH', { set: { 'smtp.poolSize': 4 }, expectedVersion: 0 }));
    expect(stale.status).toBe(409);
    const invalid = await admin('/settings', change('PATCH', { set: { 'smtp.port': 'x', 'worker.batchSize': 3 } }));
    expect(invalid.status).toBe(422);
    const { error } = (await invalid.json()) as { error: { issues: { field: string }[] } };
    expect(error.issues.map((i) => i.field).sort()).toEqual(['worker.batchSize']);

    const reset = await admin('/settings/smtp.poolSize', change('DELETE'));
    expect(((await reset.json()) as SettingsPage).settings.find((s) => s.path === 'smtp.poolSize')).toMatchObject({ source: 'default' });

    const history = (await (await admin('/settings/history')).json()) as { entries: { by: string; changes: { path: string }[] }[] };
    expect(history.entries.map((e) => e.by)).toEqual(['grace', 'grace']);
    expect(history.entries[1]!.changes.map((c) => c.path).sort()).toEqual(['smtp.auth.password', 'smtp.poolSize']);
  });

  it('lists, previews, saves (refusing a broken one with its line) and resets templates', async () => {
    const list = (await (await admin('/templates')).json()) as { templates: TemplateInfo[] };
    expect(list.templates.find((t) => t.name === 'user-invite.subject')).toMatchObject({ layer: 'built-in', kind: 'user-invite' });
    const one = (await (await admin('/templates/user-invite.subject')).json()) as { source: string; builtIn: string };
    expect(one.source).toBe(one.builtIn);

    const preview = await admin(
      '/templates/preview',
      change('POST', { kind: 'user-invite', templates: { 'user-invite.subject': 'Hi <%= it.payload.accountName %>' } }),
    );
    expect(await preview.json()).toMatchObject({ subject: 'Hi Acme' });

    const broken = await admin('/templates/user-invite.text', change('PUT', { source: 'line one\n<%= it.payload.nope.deeper %>' }));
    expect(broken.status).toBe(422);
    expect(((await broken.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'TEMPLATE.RENDER',
      message: expect.stringContaining('line 2'),
    });

    const saved = await admin('/templates/user-invite.subject', change('PUT', { source: 'Join <%= it.payload.accountName %>' }));
    expect(saved.status).toBe(200);
    expect(mailroom.templates.get('user-invite.subject')).toMatchObject({ layer: 'stored', changedBy: 'grace' });

    const reset = await admin('/templates/user-invite.subject', change('DELETE'));
    const after = (await reset.json()) as { templates: TemplateInfo[] };
    expect(after.templates.filter((t) => t.layer === 'stored')).toEqual([]);
  });

  it('checks unsaved settings and refuses an invalid candidate without saving it', async () => {
    const check = await admin('/settings/check', change('POST', { set: { 'smtp.port': 70000 } }));
    expect(check.status).toBe(422);
    expect(mailroom.settings.view().version).toBe(0);
  });
});
