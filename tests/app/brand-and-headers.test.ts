import { createMailroom, createTestMailroom, ConfigError, type Mailroom } from '@mailroom/app';
import { fullPayloads } from '../support/payloads';
import { aRecipientInput } from '../support/mothers';
import { describeOnSystemPostgres, dropSchema, SYSTEM_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { startSmtpServer, type ReceivedMail, type SmtpTestServer } from '../support/smtp-test-server';
import { until } from '../support/until';

/** The header block of a mail as the server received it, folded lines joined, by lower-case name. */
function rawHeaders(mail: ReceivedMail): { block: string; get(name: string): string[] } {
  const text = mail.raw.toString('latin1');
  const block = text.slice(0, text.indexOf('\r\n\r\n'));
  const fields = block.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
  return {
    block,
    get: (name) => fields.filter((f) => f.toLowerCase().startsWith(`${name.toLowerCase()}:`)).map((f) => f.slice(name.length + 1).trim()),
  };
}

describeOnSystemPostgres()('the brand and the auto-reply headers, at a real SMTP server (system PostgreSQL)', () => {
  let smtp: SmtpTestServer;
  let mailroom: Mailroom;
  const schema = uniqueSchema();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    mailroom = await createMailroom({
      env: {},
      config: {
        database: { url: SYSTEM_POSTGRES_URL, schema, poolSize: 4 },
        smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none', auth: { type: 'none' } },
        from: { address: 'noreply@idm.example.com' }, // no name: the product's
        links: { baseUrl: 'https://idm.example.com/', notificationsPath: '/notifications', preferencesPath: '/me/notifications' },
        brand: { productName: 'Acme IDM', footer: 'Acme Corp · Internal use only' },
        worker: { batchSize: 50, leaseSeconds: 60, pollIntervalMs: 200 },
        log: { level: 'silent' },
      },
    });
    mailroom.start();
  });

  afterAll(async () => {
    await mailroom?.stop();
    await smtp?.close();
    await dropSchema(SYSTEM_POSTGRES_URL, schema);
  });

  const received = (address: string) => smtp.received.filter((m) => m.to.includes(address));

  it('sends a change request with X-Auto-Response-Suppress: All and an ordinary mail with OOF, AutoReply; both Auto-Submitted', async () => {
    await mailroom.notify({
      kind: 'change-request',
      recipient: { userId: 'itsm', address: 'tickets@itsm.example.com' },
      payload: fullPayloads['change-request'],
    });
    await mailroom.notify({
      kind: 'user-invite',
      recipient: { userId: 'ada', address: 'ada@example.com' },
      payload: fullPayloads['user-invite'],
    });
    await until(() => received('tickets@itsm.example.com').length === 1 && received('ada@example.com').length === 1, 'both mails');

    const ticket = rawHeaders(received('tickets@itsm.example.com')[0]!);
    expect(ticket.get('Auto-Submitted')).toEqual(['auto-generated']);
    expect(ticket.get('X-Auto-Response-Suppress')).toEqual(['All']);
    const invite = rawHeaders(received('ada@example.com')[0]!);
    expect(invite.get('Auto-Submitted')).toEqual(['auto-generated']);
    expect(invite.get('X-Auto-Response-Suppress')).toEqual(['OOF, AutoReply']);
  });

  it('delivers the brand: From name, header, footer line, preferences link; no "Mailroom" anywhere', async () => {
    const mail = received('ada@example.com')[0]!;
    const { parsed } = mail;
    expect(parsed.from?.text).toBe('"Acme IDM" <noreply@idm.example.com>');
    expect(parsed.subject).toBe('Grace Hopper invited you to the account “Acme Corp” on Acme IDM');
    expect(parsed.text).toContain(
      'This message was sent by Acme IDM to ada@example.com.\nManage your notifications: https://idm.example.com/me/notifications\nAcme Corp · Internal use only\n',
    );
    expect(parsed.html).toContain('href="https://idm.example.com/me/notifications"');
    for (const part of [rawHeaders(mail).block, parsed.subject, parsed.text, parsed.html]) expect(part).not.toMatch(/mailroom/i);
  });

  it('sends the test mail under the brand too: no "Mailroom" in it', async () => {
    await mailroom.sendTest('admin@idm.example.com');
    await until(() => received('admin@idm.example.com').length === 1, 'the test mail');
    const mail = received('admin@idm.example.com')[0]!;
    expect(mail.parsed.subject).toBe('Acme IDM test mail');
    expect(mail.parsed.text).toContain('This is a test mail from Acme IDM.');
    for (const part of [rawHeaders(mail).block, mail.parsed.subject, mail.parsed.text, mail.parsed.html])
      expect(part).not.toMatch(/mailroom/i);
  });

  it('uses a brand changed at run time (mailroom.settings.update) in the next mail', async () => {
    await mailroom.settings.update(
      { set: { 'brand.productName': 'Contoso Access', 'brand.footer': 'Contoso Ltd', 'links.preferencesPath': '/settings/mail' } },
      'ada',
    );
    await mailroom.notify({
      kind: 'import-failed',
      recipient: { userId: 'bob', address: 'bob@example.com' },
      payload: fullPayloads['import-failed'],
    });
    await until(() => received('bob@example.com').length === 1, 'the mail after the change');
    const { parsed } = received('bob@example.com')[0]!;
    expect(parsed.from?.text).toBe('"Contoso Access" <noreply@idm.example.com>');
    expect(parsed.text).toMatch(
      /\n-- \nThis message was sent by Contoso Access to bob@example\.com\.\nManage your notifications: https:\/\/idm\.example\.com\/settings\/mail\nContoso Ltd\n$/,
    );
    expect(parsed.html).not.toMatch(/Acme|me\/notifications/);
  });
});

describe('brand settings (memory store)', () => {
  it('are run-time settings with their variables, checked like every setting; without a name the mail names no product', async () => {
    const mailroom = await createTestMailroom({
      config: { brand: { productName: 'Acme IDM' }, from: { address: 'noreply@idm.example.com' } },
    });
    const byPath = new Map(mailroom.settings.view().settings.map((s) => [s.path, s]));
    expect(byPath.get('brand.productName')).toMatchObject({
      value: 'Acme IDM',
      source: 'host',
      runTime: true,
      variable: 'MAILROOM_BRAND_PRODUCT_NAME',
    });
    for (const path of ['brand.footer', 'links.notificationsPath', 'links.preferencesPath'])
      expect(byPath.get(path)).toMatchObject({ runTime: true });

    const refusal = await mailroom.settings
      .update({ set: { 'brand.footer': 'two\nlines', 'links.preferencesPath': 'https://elsewhere.example.com/prefs' } }, 'ada')
      .catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ConfigError);
    // Only these two: a page's path set alone leaves links.baseUrl at its value.
    expect((refusal as ConfigError).issues.map((i) => i.setting).sort()).toEqual(['brand.footer', 'links.preferencesPath']);
    expect((refusal as ConfigError).message).toMatch(/one line of text/);
    expect((refusal as ConfigError).message).toMatch(/path on links\.baseUrl starting with "\/"/);

    // Saved empty: the host's name is cleared (unset would go back to it).
    await mailroom.settings.update({ set: { 'brand.productName': '' } }, 'ada');
    await mailroom.notify({
      kind: 'user-invite',
      recipient: aRecipientInput({ address: 'ada@example.com' }),
      payload: fullPayloads['user-invite'],
    });
    await mailroom.deliver();
    const mail = mailroom.sentTo('ada@example.com')[0]!;
    expect(mail.subject).toBe('Grace Hopper invited you to the account “Acme Corp”');
    expect(mail.from.toString()).toBe('noreply@idm.example.com');
    expect(mail.text).toMatch(/\n-- \nThis message was sent to ada@example\.com\.\n$/);
    await mailroom.stop();
  });
});
