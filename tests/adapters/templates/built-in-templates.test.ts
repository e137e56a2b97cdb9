import { KNOWN_KINDS } from '@mailroom/domain';
import { EtaTemplateRenderer } from '@mailroom/adapters';
import { FULL_PAYLOADS, MINIMAL_PAYLOADS, aChangeRequest, aWorkflowTaskAssigned, anImportFailed } from '../../support/payloads';
import { aNotification, aRecipient, hrefsOf, urlsOf, visibleText } from '../../support/rendering';

const BASE = 'https://idm.example.com/';

describe('EtaTemplateRenderer built-in templates', () => {
  let renderer: EtaTemplateRenderer;
  beforeAll(async () => {
    renderer = await EtaTemplateRenderer.create({ links: { baseUrl: BASE }, productName: 'Acme IDM' });
  });

  describe.each(KNOWN_KINDS)('%s', (kind) => {
    it.each([
      ['a full payload', FULL_PAYLOADS[kind]],
      ['a minimal payload', MINIMAL_PAYLOADS[kind]],
    ])('renders %s with no leftovers', async (_, payload) => {
      const mail = await renderer.render(aNotification(kind, payload()));
      for (const part of [mail.subject, mail.html, mail.text]) {
        expect(part).not.toMatch(/undefined|null|NaN|\[object Object\]|<%|%>/);
      }
      expect(visibleText(mail.html)).toContain('Acme IDM');
      expect(mail.text).toContain('This message was sent by Acme IDM to ada@example.com.');
    });

    it('has one call to action, the same link in HTML and text', async () => {
      const mail = await renderer.render(aNotification(kind, FULL_PAYLOADS[kind]()));
      // The button and its fallback "open this link" line carry the same URL.
      expect(new Set(hrefsOf(mail.html)).size).toBe(1);
      expect(urlsOf(mail.text)).toEqual(hrefsOf(mail.html).slice(0, 1));
    });

    it('is laid out for mail clients: tables, inline styles, no style sheet, no external asset, no script', async () => {
      const { html } = await renderer.render(aNotification(kind, FULL_PAYLOADS[kind]()));
      expect(html).toContain('role="presentation"');
      expect(html).not.toMatch(/<(script|style|link|img|iframe)\b/i);
      expect(html).not.toMatch(/\bsrc=/i);
    });
  });

  it('user-invite: names the inviter and the account, links to the invitation, gives the expiry in the recipient zone', async () => {
    const recipient = aRecipient({ timeZone: 'Europe/Zurich' });
    const mail = await renderer.render(aNotification('user-invite', FULL_PAYLOADS['user-invite'](), recipient));
    expect(mail.subject).toBe('Grace Hopper invited you to the account “Acme Corp” on Acme IDM');
    expect(hrefsOf(mail.html)).toContain('https://idm.example.com/invites/abc123');
    expect(mail.text).toContain('Accept the invitation:\nhttps://idm.example.com/invites/abc123\n');
    expect(mail.text).toContain('expires on 8 Dec 2026, 10:00 CET');
    expect(mail.text.startsWith('Hello Ada Lovelace,\n\nGrace Hopper invited you to the account “Acme Corp” on Acme IDM.\n')).toBe(true);
  });

  it('greets without a name when the recipient has none', async () => {
    const mail = await renderer.render(aNotification('user-invite', FULL_PAYLOADS['user-invite'](), aRecipient({ name: undefined })));
    expect(mail.text.startsWith('Hello,\n')).toBe(true);
  });

  it('query-results-changed: summarises the change in the subject and shows the counts', async () => {
    const mail = await renderer.render(aNotification('query-results-changed', FULL_PAYLOADS['query-results-changed']()));
    expect(mail.subject).toBe('Query results changed: Leavers with access (3 rows added, 1 row removed)');
    expect(mail.text).toMatch(/Rows added: +3\n {2}Rows removed: 1\n {2}Rows now: +120/);
    const minimal = await renderer.render(aNotification('query-results-changed', MINIMAL_PAYLOADS['query-results-changed']()));
    expect(minimal.subject).toBe('Query results changed: Leavers with access (results updated)');
  });

  it('import-failed: shows what the connector reported, line by line', async () => {
    const payload = anImportFailed({ errorSummary: 'Row 17: unknown department\nRow 18: missing e-mail' });
    const mail = await renderer.render(aNotification('import-failed', payload));
    expect(mail.subject).toBe('Import failed: HR feed');
    expect(mail.html).toContain('Row 17: unknown department<br>Row 18: missing e-mail<br>');
    expect(mail.text).toContain('Row 17: unknown department\nRow 18: missing e-mail');
  });

  it('access-review-requested: gives the due day as a calendar day, not shifted by the time zone', async () => {
    const recipient = aRecipient({ timeZone: 'America/Los_Angeles' });
    const mail = await renderer.render(aNotification('access-review-requested', FULL_PAYLOADS['access-review-requested'](), recipient));
    expect(mail.subject).toBe('Access review requested: Finance Q4 (due 15 Dec 2026)');
    expect(mail.text).toContain('review 12 access items in "Finance Q4"');
  });

  it('change-request: lists every change, "(empty)" for a missing side, and no button without a link', async () => {
    const mail = await renderer.render(aNotification('change-request', aChangeRequest()));
    expect(mail.text).toContain('- Department: Sales -> Marketing\n- Cost centre: (empty) -> 4711\n');
    const { linkPath: _, ...withoutLink } = aChangeRequest();
    const unlinked = await renderer.render(aNotification('change-request', withoutLink));
    expect(hrefsOf(unlinked.html)).toEqual([]);
    expect(urlsOf(unlinked.text)).toEqual([]);
  });

  it('change-request: shows the first 50 changes and counts the rest', async () => {
    const changes = Array.from({ length: 60 }, (_, i) => ({ field: `Field ${i + 1}`, from: 'a', to: 'b' }));
    const mail = await renderer.render(aNotification('change-request', aChangeRequest({ changes })));
    expect(mail.text).toContain('- Field 50: a -> b');
    expect(mail.text).not.toContain('Field 51');
    expect(mail.text).toContain('- and 10 more changes not listed here');
    expect(visibleText(mail.html)).toContain('And 10 more changes not listed here.');
  });

  it('workflow-task-assigned: mentions the due date only when there is one', async () => {
    const withDue = await renderer.render(aNotification('workflow-task-assigned', aWorkflowTaskAssigned()));
    expect(withDue.subject).toBe('New task: Approve access to SAP (due 2 Dec 2026, 17:00 UTC)');
    expect(withDue.text).toContain('It is due on 2 Dec 2026, 17:00 UTC.');
    const withoutDue = await renderer.render(aNotification('workflow-task-assigned', MINIMAL_PAYLOADS['workflow-task-assigned']()));
    expect(withoutDue.subject).toBe('New task: Approve access to SAP');
    expect(withoutDue.text).not.toContain('due');
  });
});
