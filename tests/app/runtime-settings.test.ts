import { randomBytes } from 'node:crypto';
import { ConfigError, createTestMailroom } from '@mailroom/app';
import { MailroomError, SettingsConflictError } from '@mailroom/domain';
import { fullPayloads } from '../support/payloads';
import { aRecipientInput } from '../support/mothers';
import { startSmtpServer } from '../support/smtp-test-server';
import { makeTestCertificates } from '../support/test-certificates';

const PASSWORD = 'pa55-w0rd-never-shown';
const aKey = () => randomBytes(32).toString('base64');
const direct = {
  host: 'smtp.example.com',
  port: 587,
  tls: 'starttls',
  auth: { type: 'direct', username: 'mailer', password: 'file-pass' },
} as const;

describe('run-time settings (memory store)', () => {
  it('shows every setting with its effective value, source and lock, and never a secret', async () => {
    const mailroom = await createTestMailroom({ config: { smtp: direct, subjectPrefix: '[IDM]' } });
    const page = mailroom.settings.view();
    const byPath = new Map(page.settings.map((s) => [s.path, s]));
    expect(page.version).toBe(0);
    expect(byPath.get('subjectPrefix')).toMatchObject({ value: '[IDM]', source: 'host', locked: false, runTime: true });
    expect(byPath.get('digest.maxItems')).toMatchObject({ value: 20, source: 'default' });
    expect(byPath.get('worker.batchSize')).toMatchObject({ runTime: false });
    const password = byPath.get('smtp.auth.password')!;
    expect(password).toMatchObject({ secret: true, set: true, source: 'host' });
    expect(password).not.toHaveProperty('value');
    expect(JSON.stringify(page)).not.toContain('file-pass');
    await mailroom.stop();
  });

  it('applies a saved change to the next mail: subject prefix, digest size, retry', async () => {
    const mailroom = await createTestMailroom({ config: { subjectPrefix: '[Old]' } });
    const after = await mailroom.settings.update({ set: { subjectPrefix: '[New]', 'digest.maxItems': 5, 'retry.maxAttempts': 2 } }, 'ada');
    expect(after.version).toBe(1);
    expect(after.settings.find((s) => s.path === 'subjectPrefix')).toMatchObject({ source: 'stored', changedBy: 'ada' });
    await mailroom.notify({ kind: 'user-invite', recipient: aRecipientInput(), payload: fullPayloads['user-invite'] });
    await mailroom.deliver();
    expect(mailroom.sent[0]!.subject).toMatch(/^\[New\] /);
    expect(mailroom.config.digest.maxItems).toBe(5);
    expect(mailroom.config.retry.maxAttempts).toBe(2);
    // Reset: back to the host's value.
    await mailroom.settings.update({ unset: ['subjectPrefix'] }, 'ada');
    await mailroom.notify({ kind: 'user-invite', recipient: aRecipientInput(), payload: fullPayloads['user-invite'] });
    await mailroom.deliver();
    expect(mailroom.sent[1]!.subject).toMatch(/^\[Old\] /);
    await mailroom.stop();
  });

  it('refuses unknown, start-only and invalid settings, naming each and saving nothing', async () => {
    const mailroom = await createTestMailroom();
    const refusal = await mailroom.settings
      .update({ set: { 'smtp.hots': 'x', 'worker.batchSize': 5, 'digest.intervalMinutes': 0, 'links.baseUrl': 'ftp://x' } }, 'ada')
      .catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ConfigError);
    const settings = (refusal as ConfigError).issues.map((i) => i.setting);
    expect(settings).toEqual(expect.arrayContaining(['smtp.hots', 'worker.batchSize']));
    const invalid = await mailroom.settings
      .update({ set: { 'digest.intervalMinutes': 0, 'links.baseUrl': 'ftp://x' } }, 'ada')
      .catch((e) => e);
    expect((invalid as ConfigError).issues.map((i) => i.setting).sort()).toEqual(['digest.intervalMinutes', 'links.baseUrl']);
    expect((invalid as Error).message).toContain('MAILROOM_DIGEST_INTERVAL_MINUTES');
    expect(mailroom.settings.view().version).toBe(0);
    expect(await mailroom.settings.history()).toEqual([]);
    await mailroom.stop();
  });

  it('keeps settings the host locks read-only, saying so', async () => {
    const mailroom = await createTestMailroom({ lockedSettings: ['from', 'subjectPrefix'], config: { subjectPrefix: '[Host]' } });
    const prefix = mailroom.settings.view().settings.find((s) => s.path === 'subjectPrefix')!;
    expect(prefix).toMatchObject({ source: 'host', locked: true, lockedBy: 'host' });
    expect(mailroom.settings.view().settings.find((s) => s.path === 'from.address')).toMatchObject({ locked: true, lockedBy: 'host' });
    const refusal = await mailroom.settings.update({ set: { subjectPrefix: '[Admin]', 'from.name': 'x' } }, 'ada').catch((e: unknown) => e);
    expect((refusal as ConfigError).issues.map((i) => [i.setting, i.problem])).toEqual([
      ['subjectPrefix', expect.stringContaining('locked by the application')],
      ['from.name', expect.stringContaining('locked by the application')],
    ]);
    await mailroom.stop();
    await expect(createTestMailroom({ lockedSettings: ['smtp.hots'] })).rejects.toThrow(/"smtp.hots" is not a setting/);
  });

  it('refuses to save a secret without a key, and never in plain text', async () => {
    const mailroom = await createTestMailroom({ config: { smtp: direct } });
    const refusal = await mailroom.settings.update({ set: { 'smtp.auth.password': PASSWORD } }, 'ada').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(MailroomError);
    expect((refusal as MailroomError).code).toBe('SECRETS.KEY_MISSING');
    expect((refusal as Error).message).toContain('MAILROOM_SECRET_KEY');
    expect((refusal as Error).message).not.toContain(PASSWORD);
    expect(mailroom.settings.view().version).toBe(0);
    await mailroom.stop();
  });

  it('seals a secret with the key, uses it, and shows only that it changed', async () => {
    const mailroom = await createTestMailroom({ config: { smtp: direct }, secretKey: aKey() });
    await mailroom.settings.update({ set: { 'smtp.auth.password': PASSWORD } }, 'ada');
    const password = mailroom.settings.view().settings.find((s) => s.path === 'smtp.auth.password')!;
    expect(password).toMatchObject({ set: true, source: 'stored', changedBy: 'ada' });
    expect(password.changedAt).toEqual(expect.any(String));
    const history = await mailroom.settings.history();
    expect(history[0]).toMatchObject({ version: 1, by: 'ada', changes: [{ path: 'smtp.auth.password', change: 'set', secret: true }] });
    expect(JSON.stringify(history)).not.toContain(PASSWORD);
    expect(JSON.stringify(mailroom.settings.view())).not.toContain(PASSWORD);
    expect(JSON.stringify(mailroom.config)).not.toContain(PASSWORD);
    await mailroom.stop();
  });

  it('switching the authentication type drops the old type’s fields', async () => {
    const mailroom = await createTestMailroom({ config: { smtp: direct }, secretKey: aKey() });
    await mailroom.settings.update({ set: { 'smtp.auth.username': 'other' } }, 'ada');
    await mailroom.settings.update(
      {
        set: {
          'smtp.auth.type': 'oauth2',
          'smtp.auth.username': 'notifications@contoso.com',
          'smtp.auth.tokenUrl': 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
          'smtp.auth.clientId': '11111111-2222-3333-4444-555555555555',
          'smtp.auth.clientSecret': 'client-secret-value',
        },
      },
      'ada',
    );
    expect(mailroom.config.smtp!.auth).toMatchObject({ type: 'oauth2', username: 'notifications@contoso.com' });
    expect(mailroom.config.smtp!.auth).not.toHaveProperty('password');
    await mailroom.stop();
  });

  it('says which authentication type a field belongs to, and saves no empty change', async () => {
    const mailroom = await createTestMailroom({
      secretKey: aKey(),
      config: { smtp: { host: 'smtp.example.com', auth: { type: 'none' } } },
    });
    const none = await mailroom.settings.update({ set: { 'smtp.auth.password': PASSWORD } }, 'ada').catch((e: unknown) => e);
    expect((none as ConfigError).issues).toEqual([
      { setting: 'smtp.auth.password', problem: expect.stringContaining('set smtp.auth.type to "direct"') },
    ]);
    const other = await mailroom.settings
      .update(
        { set: { 'smtp.auth.type': 'direct', 'smtp.auth.username': 'u', 'smtp.auth.password': PASSWORD, 'smtp.auth.clientId': 'c' } },
        'ada',
      )
      .catch((e: unknown) => e);
    expect((other as ConfigError).issues.map((i) => i.setting)).toEqual(['smtp.auth.clientId']);
    expect((other as Error).message).not.toContain(PASSWORD);
    const unchanged = await mailroom.settings.update({ unset: ['subjectPrefix'] }, 'ada');
    expect(unchanged.version).toBe(0);
    expect(await mailroom.settings.history()).toEqual([]);
    await mailroom.stop();
  });

  it('checks the version a change was made on', async () => {
    const mailroom = await createTestMailroom();
    const page = await mailroom.settings.update({ set: { subjectPrefix: '[A]' } }, 'ada');
    await mailroom.settings.update({ set: { subjectPrefix: '[B]' } }, 'grace');
    const stale = await mailroom.settings.update({ set: { subjectPrefix: '[C]' }, expectedVersion: page.version }, 'ada').catch((e) => e);
    expect(stale).toBeInstanceOf(SettingsConflictError);
    expect(mailroom.config.subjectPrefix).toBe('[B]');
    await mailroom.stop();
  });

  it('validates candidate settings without saving them (check)', async () => {
    const mailroom = await createTestMailroom();
    await expect(mailroom.checkSettings({ set: { 'smtp.port': 'x' } })).rejects.toBeInstanceOf(ConfigError);
    expect(mailroom.settings.view().version).toBe(0);
    await mailroom.stop();
  });

  it('checks unsaved settings against a real server: a pasted CA bundle (smtp.ca) makes the TLS step pass', async () => {
    const certs = await makeTestCertificates();
    const server = await startSmtpServer({ key: certs.key, cert: certs.cert });
    const mailroom = await createTestMailroom({
      config: { smtp: { host: '127.0.0.1', port: server.port, tls: 'starttls', servername: certs.serverName } },
    });
    try {
      const without = await mailroom.checkSettings();
      expect(without.ok).toBe(false);
      const withCa = await mailroom.checkSettings({ set: { 'smtp.ca': certs.ca } });
      expect(withCa.ok).toBe(true);
      expect(mailroom.settings.view().version).toBe(0);
    } finally {
      await mailroom.stop();
      await server.close();
    }
  });
});
