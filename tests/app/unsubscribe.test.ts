import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { UnsubscribeTokens } from '@mailroom/adapters';
import { createMailroom, TOKENS, type KindDefinition, type Mailroom } from '@mailroom/app';
import { fullPayloads } from '../support/payloads';
import { describeOnSystemPostgres, dropSchema, SYSTEM_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { startSmtpServer, type ReceivedMail, type SmtpTestServer } from '../support/smtp-test-server';
import { until } from '../support/until';
import express from 'express';

const KEY = randomBytes(32);
const DAY_MS = 86_400_000;

/**
 * A kind the host marks mandatory (a security notice). `mandatory` may not be declared on KindDefinition yet: it is
 * added as data, which is what Mailroom reads. The built-in `user-invite` becomes mandatory with the preferences work.
 */
const SECURITY_NOTICE = {
  kind: 'acme.security-notice',
  validate: () => [],
  mandatory: true,
} as unknown as KindDefinition<'acme.security-notice'>;

/** One header of a mail as the server received it (folded lines joined). */
function header(mail: ReceivedMail, name: string): string | undefined {
  const text = mail.raw.toString('latin1');
  const fields = text
    .slice(0, text.indexOf('\r\n\r\n'))
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n');
  const field = fields.find((f) => f.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return field?.slice(name.length + 1).trim();
}

/** The link in `List-Unsubscribe: <…>`. */
function unsubscribeUrl(mail: ReceivedMail): URL {
  return new URL(/^<(.+)>$/.exec(header(mail, 'List-Unsubscribe') ?? '')![1]!);
}

describeOnSystemPostgres()('one-click unsubscribe (RFC 8058): headers at a real SMTP server, the public handler over real HTTP', () => {
  let smtp: SmtpTestServer;
  let mailroom: Mailroom<'acme.security-notice'>;
  let server: Server;
  let origin: string;
  const schema = uniqueSchema();
  const tokens = new UnsubscribeTokens(KEY);

  beforeAll(async () => {
    smtp = await startSmtpServer();
    mailroom = await createMailroom({
      env: {},
      kinds: [SECURITY_NOTICE],
      templates: {
        'acme.security-notice.subject': 'Security notice',
        'acme.security-notice.html': '<p>Your password was changed.</p>',
        'acme.security-notice.text': 'Your password was changed.',
      },
      samples: { 'acme.security-notice': {} },
      config: {
        database: { url: SYSTEM_POSTGRES_URL, schema, poolSize: 4 },
        smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none', auth: { type: 'none' } },
        from: { address: 'noreply@idm.example.com' },
        links: { baseUrl: 'https://idm.example.com/', preferencesPath: '/me/notifications', unsubscribePath: '/mail/unsubscribe' },
        unsubscribe: { key: KEY.toString('base64'), validDays: 30 },
        worker: { batchSize: 50, leaseSeconds: 60, pollIntervalMs: 200 },
        log: { level: 'silent' },
      },
    });
    mailroom.start();
    const handler = mailroom.publicHandler({ basePath: '/mail' });
    server = createServer(handler.listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await mailroom?.stop();
    await smtp?.close();
    await dropSchema(SYSTEM_POSTGRES_URL, schema);
  });

  const received = (address: string) => smtp.received.filter((m) => m.to.includes(address));
  const preferences = () => mailroom.container.get(TOKENS.PreferenceStore);
  /** The mail's link, called on this test's server (the path and query as in the mail; the host is the load balancer's). */
  const local = (url: URL) => `${origin}${url.pathname}${url.search}`;
  const oneClick = (url: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });

  it('puts List-Unsubscribe and List-Unsubscribe-Post on an optional mail, with a token that verifies; none on a mandatory one', async () => {
    await mailroom.notify({
      kind: 'import-failed',
      recipient: { userId: 'ada', address: 'ada@example.com' },
      payload: fullPayloads['import-failed'],
    });
    await mailroom.notify({ kind: 'acme.security-notice', recipient: { userId: 'ada', address: 'ada@example.com' }, payload: {} });
    await until(() => received('ada@example.com').length === 2, 'both mails');

    const optional = received('ada@example.com').find((m) => m.parsed.subject !== 'Security notice');
    const mandatory = received('ada@example.com').find((m) => m.parsed.subject === 'Security notice');
    expect(header(optional!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const url = unsubscribeUrl(optional!);
    expect(url.origin + url.pathname).toBe('https://idm.example.com/mail/unsubscribe');
    const claim = tokens.verify(url.searchParams.get('token')!, new Date());
    expect(claim).toMatchObject({ userId: 'ada', address: 'ada@example.com', kinds: ['import-failed'] });
    expect(claim.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * DAY_MS);
    expect(header(optional!, 'Auto-Submitted')).toBe('auto-generated');

    expect(header(mandatory!, 'List-Unsubscribe')).toBeUndefined();
    expect(header(mandatory!, 'List-Unsubscribe-Post')).toBeUndefined();
    expect(header(mandatory!, 'Auto-Submitted')).toBe('auto-generated');
  });

  it('GET shows what will stop, a one-click button and the preferences link, under a strict CSP; it changes nothing', async () => {
    const url = unsubscribeUrl(received('ada@example.com').find((m) => m.parsed.subject !== 'Security notice')!);
    const response = await fetch(local(url));
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const page = await response.text();
    expect(page).toContain('Stop import failed e-mails to <strong>ada@example.com</strong>?');
    expect(page).toContain(`<form method="post" action="/mail/unsubscribe?token=${url.searchParams.get('token')}">`);
    expect(page).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click" />');
    expect(page).toContain('href="https://idm.example.com/me/notifications"');
    expect(page).not.toContain('<script');
    expect(await preferences().of('ada')).toEqual([]);
  });

  it('GET escapes what the token carries', async () => {
    const token = tokens.sign(
      { userId: 'eve', address: 'eve@example.com', kinds: ['x'], topic: 'query:<img src=x onerror=alert(1)>' },
      new Date(Date.now() + DAY_MS),
    );
    const page = await (await fetch(`${origin}/mail/unsubscribe?token=${token}`)).text();
    expect(page).toContain('e-mails about query:&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img');
  });

  it("a one-click POST with the mail's token turns the kind off (200); applying it again is harmless", async () => {
    const url = unsubscribeUrl(received('ada@example.com').find((m) => m.parsed.subject !== 'Security notice')!);
    const response = await oneClick(local(url));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('ada@example.com no longer receives import failed e-mails.');
    expect(await preferences().lookup({ userId: 'ada', kind: 'import-failed' })).toBe('off');
    expect((await oneClick(local(url))).status).toBe(200);
    expect(await preferences().of('ada')).toHaveLength(1);
  });

  it("a one-click POST from a topic's mail ends that subscription", async () => {
    await mailroom.subscribe({ recipient: { userId: 'grace', address: 'grace@example.com' }, topic: 'query:42' });
    await mailroom.publish('query:42', 'query-results-changed', fullPayloads['query-results-changed']);
    await until(() => received('grace@example.com').length === 1, 'the topic mail');
    const url = unsubscribeUrl(received('grace@example.com')[0]!);
    expect(tokens.verify(url.searchParams.get('token')!, new Date())).toMatchObject({ userId: 'grace', topic: 'query:42' });

    expect((await oneClick(local(url))).status).toBe(200);
    expect(await mailroom.subscriptionsOf('grace')).toEqual([]);
    expect(await preferences().of('grace')).toEqual([]);
  });

  it('refuses a forged token (400) and an expired one (410), POST and GET alike, and changes nothing', async () => {
    const bob = { userId: 'bob', address: 'bob@example.com', kinds: ['import-failed'] };
    const forged = new UnsubscribeTokens(randomBytes(32)).sign(bob, new Date(Date.now() + DAY_MS));
    const good = tokens.sign(bob, new Date(Date.now() + DAY_MS));
    const altered = `${Buffer.from(JSON.stringify({ v: 1, u: 'bob', a: 'bob@example.com', k: ['import-failed'], x: 4102444800 })).toString('base64url')}.${good.split('.')[1]}`;
    const expired = tokens.sign(bob, new Date(Date.now() - DAY_MS));
    for (const [token, status, words] of [
      [forged, 400, 'Link not valid'],
      [altered, 400, 'Link not valid'],
      [expired, 410, 'Link expired'],
      ['', 400, 'Link incomplete'],
    ] as const) {
      const post = await oneClick(`${origin}/mail/unsubscribe?token=${token}`);
      expect([post.status, await post.text()]).toEqual([status, expect.stringContaining(words)]);
      const get = await fetch(`${origin}/mail/unsubscribe?token=${token}`);
      expect([get.status, await get.text()]).toEqual([status, expect.stringContaining('Nothing was changed.')]);
    }
    expect(await preferences().of('bob')).toEqual([]);
  });

  it('refuses a POST without List-Unsubscribe=One-Click (400), changing nothing', async () => {
    const token = tokens.sign({ userId: 'carol', address: 'carol@example.com', kinds: ['import-failed'] }, new Date(Date.now() + DAY_MS));
    const response = await fetch(`${origin}/mail/unsubscribe?token=${token}`, { method: 'POST' });
    expect(response.status).toBe(400);
    expect(await preferences().of('carol')).toEqual([]);
  });

  it('works mounted in Express after express.urlencoded() (the parsed body is used)', async () => {
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.use('/mail', mailroom.publicHandler({ basePath: '/mail' }).listener);
    const expressServer = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const token = tokens.sign({ userId: 'dan', address: 'dan@example.com', kinds: ['import-failed'] }, new Date(Date.now() + DAY_MS));
      const response = await oneClick(`http://127.0.0.1:${(expressServer.address() as AddressInfo).port}/mail/unsubscribe?token=${token}`);
      expect(response.status).toBe(200);
      expect(await preferences().lookup({ userId: 'dan', kind: 'import-failed' })).toBe('off');
    } finally {
      await new Promise((resolve) => expressServer.close(resolve));
    }
  });
});
