import { KNOWN_KINDS, type RenderedMail } from '@mailroom/domain';
import { EtaTemplateRenderer } from '@mailroom/adapters';
import { FULL_PAYLOADS, MINIMAL_PAYLOADS, aUserInvite } from '../../support/payloads';
import { aDigest, aNotification, aRecipient, hrefsOf, visibleText } from '../../support/rendering';

const BASE = 'https://idm.example.com/';
const FOOTER = 'Acme Corp · Internal use only';

/** Every mail a recipient can get: each built-in kind with a full and a minimal payload, and a digest of them all. */
async function everyMail(renderer: EtaTemplateRenderer): Promise<[string, RenderedMail][]> {
  const mails: [string, RenderedMail][] = [];
  for (const kind of KNOWN_KINDS) {
    mails.push([`${kind} (full)`, await renderer.render(aNotification(kind, FULL_PAYLOADS[kind]()))]);
    mails.push([`${kind} (minimal)`, await renderer.render(aNotification(kind, MINIMAL_PAYLOADS[kind]()))]);
  }
  mails.push(['digest', await renderer.renderDigest(aRecipient(), aDigest({ moreCount: 3 }))]);
  return mails;
}

describe('the host’s brand in every built-in mail', () => {
  describe('a host that names itself, with a footer line and both pages', () => {
    let mails: [string, RenderedMail][];
    beforeAll(async () => {
      const renderer = await EtaTemplateRenderer.create({
        links: { baseUrl: BASE, notificationsPath: '/notifications', preferencesPath: '/me/notifications' },
        productName: 'Acme IDM',
        footer: FOOTER,
      });
      mails = await everyMail(renderer);
    });

    it('names the product in the header and the footer, gives the footer line and the preferences link, and never says Mailroom', () => {
      for (const [name, mail] of mails) {
        const html = visibleText(mail.html);
        expect({ name, header: html.trimStart().startsWith('Acme IDM') }).toEqual({ name, header: true });
        expect({ name, footer: html }).toEqual({
          name,
          footer: expect.stringContaining(`This message was sent by Acme IDM to ada@example.com.`),
        });
        expect({ name, footer: html }).toEqual({ name, footer: expect.stringContaining(FOOTER) });
        expect({ name, text: mail.text }).toEqual({
          name,
          text: expect.stringContaining(
            `-- \nThis message was sent by Acme IDM to ada@example.com.\nManage your notifications: https://idm.example.com/me/notifications\n${FOOTER}\n`,
          ),
        });
        expect({ name, links: hrefsOf(mail.html) }).toEqual({
          name,
          links: expect.arrayContaining(['https://idm.example.com/me/notifications']),
        });
        for (const part of [mail.subject, mail.html, mail.text])
          expect({ name, part }).toEqual({ name, part: expect.not.stringMatching(/mailroom/i) });
      }
    });

    it('escapes the brand like any other text in HTML', async () => {
      const renderer = await EtaTemplateRenderer.create({ links: { baseUrl: BASE }, productName: 'A&B <IDM>', footer: '<b>x</b>' });
      const { html, text } = await renderer.render(aNotification('import-failed', FULL_PAYLOADS['import-failed']()));
      expect(html).toContain('A&amp;B &lt;IDM&gt;');
      expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
      expect(text).toContain('sent by A&B <IDM> to');
    });

    it('names the product in the digest’s subject', () => {
      expect(mails.find(([name]) => name === 'digest')![1].subject).toBe('Your Acme IDM notifications: 9 updates');
    });
  });

  describe('a host that names nothing (no brand, no pages)', () => {
    let mails: [string, RenderedMail][];
    beforeAll(async () => {
      mails = await everyMail(await EtaTemplateRenderer.create({ links: { baseUrl: BASE } }));
    });

    it('reads naturally without a product name: no Mailroom, no gap, no preferences or notifications link', () => {
      for (const [name, mail] of mails) {
        for (const part of [mail.subject, mail.html, mail.text]) {
          expect({ name, part }).toEqual({
            name,
            part: expect.not.stringMatching(/mailroom|undefined|sent by {2}| on \.|Manage your notifications/i),
          });
        }
        expect({ name, text: mail.text }).toEqual({
          name,
          text: expect.stringMatching(/\n-- \nThis message was sent to ada@example\.com\.\n$/),
        });
        expect({ name, links: hrefsOf(mail.html) }).toEqual({ name, links: expect.not.arrayContaining([`${BASE}notifications`]) });
      }
    });
  });

  describe('subjects, read alone in an inbox', () => {
    it.each([
      ['user-invite', 'Grace Hopper invited you to the account “Acme Corp”'],
      ['query-results-changed', 'Query results changed: Leavers with access (3 rows added, 1 row removed)'],
      ['import-failed', 'Import failed: HR feed'],
      ['access-review-requested', 'Access review requested: Finance Q4 (due 15 Dec 2026)'],
      ['change-request', '[CR-1234] Change request: Move Ada Lovelace to Marketing'],
      ['workflow-task-assigned', 'New task: Approve access to SAP (due 2 Dec 2026, 17:00 UTC)'],
    ] as const)('%s: %s', async (kind, subject) => {
      const renderer = await EtaTemplateRenderer.create({ links: { baseUrl: BASE } });
      expect((await renderer.render(aNotification(kind, FULL_PAYLOADS[kind]()))).subject).toBe(subject);
    });
  });

  describe('the invite, with the README’s example payload and the built-in sample', () => {
    // README: payload: { inviterName: 'Grace Hopper', accountName: 'ada', acceptLinkPath: '/invitations/abc/accept', … }
    const readme = aUserInvite({ inviterName: 'Grace Hopper', accountName: 'ada', acceptLinkPath: '/invitations/abc/accept' });

    it('reads right without a product name', async () => {
      const renderer = await EtaTemplateRenderer.create({ links: { baseUrl: BASE } });
      const mail = await renderer.render(aNotification('user-invite', readme));
      expect(mail.subject).toBe('Grace Hopper invited you to the account “ada”');
      expect(mail.text).toContain('Grace Hopper invited you to the account “ada”.\n');
      expect(visibleText(mail.html)).toContain('You are invited to the account “ada”');
      expect(visibleText(mail.html)).toMatch(/Grace Hopper invited you to the account “ada” ?\./);
    });

    it('reads right with one, and with the sample’s organisation for an account', async () => {
      const renderer = await EtaTemplateRenderer.create({ links: { baseUrl: BASE }, productName: 'Acme IDM' });
      expect((await renderer.render(aNotification('user-invite', readme))).subject).toBe(
        'Grace Hopper invited you to the account “ada” on Acme IDM',
      );
      const sample = renderer.renderSample('user-invite').text;
      expect(sample).toContain('Grace Hopper invited you to the account “Acme” on Acme IDM.\n');
    });
  });
});
