import { EtaTemplateRenderer } from '@mailroom/adapters';
import { aChangeRequest, aQueryResultsChanged, anImportFailed, aUserInvite } from '../../support/payloads';
import { aDigest, aDigestItem, aNotification, aRecipient, visibleText } from '../../support/rendering';

const HOSTILE = `<script>alert("x")</script> "quoted" 'single' Tom & Jerry`;

describe('EtaTemplateRenderer escaping, subjects and long values', () => {
  let renderer: EtaTemplateRenderer;
  beforeAll(async () => {
    renderer = await EtaTemplateRenderer.create({ links: { baseUrl: 'https://idm.example.com' }, subjectPrefix: '[IDM]' });
  });

  it('escapes every payload value in HTML and keeps it readable', async () => {
    const payload = aChangeRequest({
      title: HOSTILE,
      requester: HOSTILE,
      changes: [{ field: HOSTILE, from: HOSTILE, to: '<b onmouseover="x">bold</b>' }],
    });
    const { html, text } = await renderer.render(aNotification('change-request', payload));
    expect(html).not.toMatch(/<script|<b |onmouseover="/);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &quot;quoted&quot; &#39;single&#39; Tom &amp; Jerry');
    expect(visibleText(html)).toContain(HOSTILE);
    // Plain text is not HTML: the same value reads as the user typed it.
    expect(text).toContain(HOSTILE);
  });

  it('escapes the recipient name, and values in digest items', async () => {
    const recipient = aRecipient({ name: '<i>Ada</i> & Co' });
    const digest = aDigest({ items: [aDigestItem('query-results-changed', aQueryResultsChanged({ queryName: HOSTILE }))] });
    const { html } = await renderer.renderDigest(recipient, digest);
    expect(html).toContain('Hello &lt;i&gt;Ada&lt;/i&gt; &amp; Co');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('makes the subject one line: CR/LF and control characters removed, white space collapsed', async () => {
    const { subject } = await renderer.render(
      aNotification('import-failed', anImportFailed({ connectorName: 'HR\r\nBcc: victim@example.com\t\u0007feed\u2028 x' })),
    );
    expect(subject).toBe('[IDM] Import failed: HR Bcc: victim@example.com feed x');
  });

  it('does not HTML-escape subjects: they are plain text', async () => {
    const { subject } = await renderer.render(aNotification('import-failed', anImportFailed({ connectorName: 'Tom & "Jerry" <HR>' })));
    expect(subject).toBe('[IDM] Import failed: Tom & "Jerry" <HR>');
  });

  it('cuts very long values with an ellipsis, in the subject and in the body', async () => {
    const long = 'A'.repeat(5000);
    const mail = await renderer.render(aNotification('user-invite', aUserInvite({ inviterName: long, accountName: long })));
    expect(mail.subject.length).toBeLessThanOrEqual(200);
    expect(mail.subject).toBe(`[IDM] ${'A'.repeat(59)}… invited you to the account “${'A'.repeat(79)}…”`);
    expect(mail.text).not.toContain('A'.repeat(121));
    expect(mail.text).toContain(`${'A'.repeat(119)}…`);
    const failed = await renderer.render(aNotification('import-failed', anImportFailed({ errorSummary: 'E'.repeat(10_000) })));
    expect(failed.text).toContain(`${'E'.repeat(1999)}…`);
    expect(failed.text).not.toContain('E'.repeat(2000));
  });

  it('never cuts a subject inside a surrogate pair', async () => {
    const { subject } = await renderer.render(aNotification('import-failed', anImportFailed({ connectorName: '😀'.repeat(300) })));
    expect(subject.endsWith('😀…')).toBe(true);
    expect(subject).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  describe('change requests carry a stable ticket reference', () => {
    it('puts [CR-1234] after the prefix, whatever the title', async () => {
      const first = await renderer.render(aNotification('change-request', aChangeRequest({ title: 'Move Ada' })));
      const update = await renderer.render(aNotification('change-request', aChangeRequest({ title: 'Move Ada (approved)\r\n' })));
      expect(first.subject).toBe('[IDM] [CR-1234] Change request: Move Ada');
      expect(update.subject).toBe('[IDM] [CR-1234] Change request: Move Ada (approved)');
    });

    it('defaults to CR-<requestId> and keeps it when the title is cut', async () => {
      const { ticketReference: _, ...payload } = aChangeRequest({ requestId: '987', title: 'T'.repeat(1000) });
      const { subject, text } = await renderer.render(aNotification('change-request', payload));
      expect(subject.startsWith('[IDM] [CR-987] Change request: TTT')).toBe(true);
      expect(subject.endsWith('…')).toBe(true);
      expect(text).toContain('Reference CR-987');
    });

    it('keeps a hostile reference on one line', async () => {
      const { subject } = await renderer.render(
        aNotification('change-request', aChangeRequest({ ticketReference: 'CR-1\r\nBcc: x@example.com' })),
      );
      expect(subject).toBe('[IDM] [CR-1 Bcc: x@example.com] Change request: Move Ada Lovelace to Marketing');
    });
  });
});
