import { KNOWN_KINDS, MailroomError, type TemplateRenderer } from '@mailroom/domain';
import { FULL_PAYLOADS, aChangeRequest, aQueryResultsChanged } from '../support/payloads';
import { aDigest, aNotification, aRecipient, hrefsOf, urlsOf } from '../support/rendering';

/** Builds the renderer under test with its links on `baseUrl` (and no subject prefix). */
export type TemplateRendererFactory = (baseUrl: string) => Promise<TemplateRenderer>;

const BASE_URL = 'https://lb.example.com/idm/';

/** What every `TemplateRenderer` must do, whatever engine is behind it. */
export function templateRendererContract(name: string, factory: TemplateRendererFactory): void {
  describe(`TemplateRenderer contract: ${name}`, () => {
    let renderer: TemplateRenderer;

    beforeAll(async () => {
      renderer = await factory(BASE_URL);
    });

    describe.each(KNOWN_KINDS)('kind %s', (kind) => {
      it('renders a one-line subject, an HTML document and plain text', async () => {
        const mail = await renderer.render(aNotification(kind, FULL_PAYLOADS[kind]()));
        expect(mail.subject.trim()).not.toBe('');
        expect(mail.subject).not.toMatch(/[\r\n\t]/);
        expect(mail.html).toMatch(/^<!DOCTYPE html>/i);
        expect(mail.html).not.toMatch(/<script/i);
        expect(mail.text.trim().length).toBeGreaterThan(20);
        expect(mail.text).not.toMatch(/<[a-z][^>]*>/i);
      });

      it('links only to absolute URLs on the base URL, in HTML and text alike', async () => {
        const mail = await renderer.render(aNotification(kind, FULL_PAYLOADS[kind]()));
        const links = [...hrefsOf(mail.html), ...urlsOf(mail.text)];
        expect(links.length).toBeGreaterThan(0);
        for (const link of links) expect(link.startsWith(BASE_URL)).toBe(true);
      });
    });

    it('renders a digest that lists every item and says how many more there are', async () => {
      const digest = aDigest({ moreCount: 5 });
      const mail = await renderer.renderDigest(aRecipient(), digest);
      expect(mail.subject).not.toMatch(/[\r\n]/);
      expect(mail.text).toContain('Leavers with access');
      expect(mail.text).toContain('CR-1234');
      expect(mail.text).toMatch(/\b5 earlier updates\b/);
      expect(mail.html).toMatch(/\b5 earlier updates\b/);
      for (const link of [...hrefsOf(mail.html), ...urlsOf(mail.text)]) expect(link.startsWith(BASE_URL)).toBe(true);
    });

    it('keeps CR, LF and control characters out of the subject', async () => {
      const mail = await renderer.render(
        aNotification('query-results-changed', aQueryResultsChanged({ queryName: 'Q1\r\nBcc: victim@example.com\u0000' })),
      );
      expect(mail.subject).not.toMatch(/[\u0000-\u001f\u007f]/);
      expect(mail.subject).toContain('Q1 Bcc: victim@example.com');
    });

    it('escapes hostile payload values in HTML', async () => {
      const hostile = `<script>alert("x")</script> & 'quoted' <img src=x onerror=alert(1)>`;
      const mail = await renderer.render(aNotification('change-request', aChangeRequest({ title: hostile, requester: hostile })));
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).not.toContain('<img');
      expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;');
    });

    it('refuses a kind it has no templates for with TEMPLATE.MISSING', async () => {
      await expect(renderer.render(aNotification('acme.unheard-of', {}))).rejects.toMatchObject({
        constructor: MailroomError,
        code: 'TEMPLATE.MISSING',
      });
    });
  });
}
