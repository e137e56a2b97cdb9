import { EtaTemplateRenderer } from '@mailroom/adapters';
import { aQueryResultsChanged } from '../../support/payloads';
import { aDigest, aDigestItem, aRecipient, hrefsOf, visibleText } from '../../support/rendering';

describe('EtaTemplateRenderer digests', () => {
  let renderer: EtaTemplateRenderer;
  beforeAll(async () => {
    renderer = await EtaTemplateRenderer.create({ links: { baseUrl: 'https://idm.example.com/', notificationsPath: '/notifications' } });
  });

  it('renders each item by its kind, in the order given (the order they happened)', async () => {
    const { text, html } = await renderer.renderDigest(aRecipient(), aDigest());
    const order = [
      'Invitation to the account “Acme Corp”',
      'Query results changed: Leavers with access',
      'Import failed: HR feed',
      'Access review: Finance Q4',
      '[CR-1234] Move Ada Lovelace to Marketing',
      'Task: Approve access to SAP',
    ];
    const positions = order.map((s) => text.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(hrefsOf(html)).toEqual(
      expect.arrayContaining(['https://idm.example.com/queries/42', 'https://idm.example.com/change-requests/1234']),
    );
  });

  it('says how many earlier updates it left out, before the listed ones, with a link to them all', async () => {
    const digest = aDigest({ items: [aDigestItem('query-results-changed', aQueryResultsChanged())], totalCount: 21, moreCount: 20 });
    const { subject, text, html } = await renderer.renderDigest(aRecipient(), digest);
    expect(subject).toBe('Your notifications: 21 updates');
    expect(text).toContain(
      '20 earlier updates are not listed here; see them all:\nhttps://idm.example.com/notifications\n\n* Query results',
    );
    expect(visibleText(html)).toMatch(/20 earlier updates are not listed here: see them all ?\./);
    expect(html).toMatch(/20 earlier updates are not listed here: <a href="https:\/\/idm\.example\.com\/notifications"/);
  });

  it('says nothing of more items when all are listed', async () => {
    const { text, html } = await renderer.renderDigest(aRecipient(), aDigest({ moreCount: 0 }));
    expect(text).not.toMatch(/earlier update/);
    expect(html).not.toMatch(/earlier update/);
    expect(text).toContain('Open your notifications:\nhttps://idm.example.com/notifications');
  });

  it('counts one update in the singular', async () => {
    const digest = aDigest({ items: [aDigestItem('query-results-changed', aQueryResultsChanged())], totalCount: 2, moreCount: 1 });
    const { subject, text } = await renderer.renderDigest(aRecipient(), digest);
    expect(subject).toBe('Your notifications: 2 updates');
    expect(text).toContain('1 earlier update is not listed here; see them all:');
  });

  it("gives the period in the recipient's time zone", async () => {
    const zurich = await renderer.renderDigest(aRecipient({ timeZone: 'Europe/Zurich' }), aDigest());
    expect(zurich.text).toMatch(/6 updates for you, 1 Dec 2026, 09:00\s?–\s?10:00 CET:/);
    const newYork = await renderer.renderDigest(aRecipient({ timeZone: 'America/New_York' }), aDigest());
    expect(newYork.text).toMatch(/1 Dec 2026, 03:00\s?–\s?04:00 GMT-5/);
  });

  it('gives the period in UTC when the time zone is unknown, and spans days when the period does', async () => {
    const { text } = await renderer.renderDigest(
      aRecipient(),
      aDigest({ periodStart: '2026-11-30T22:00:00Z', periodEnd: '2026-12-01T09:00:00Z' }),
    );
    expect(text).toMatch(/30 Nov 2026, 22:00 UTC\s?–\s?1 Dec 2026, 09:00 UTC/);
  });

  it('lists a host kind without item templates by its name, its time and its link', async () => {
    const digest = aDigest({
      items: [
        aDigestItem('acme.report-ready', { linkPath: '/reports/9' }),
        aDigestItem('acme.no-link', { linkPath: 'https://evil.example.com' }),
      ],
    });
    const { text, html } = await renderer.renderDigest(aRecipient({ timeZone: 'Europe/Zurich' }), digest);
    expect(text).toContain('* Acme report ready (1 Dec 2026, 09:30 CET)\n  https://idm.example.com/reports/9\n');
    // A payload link that is not a path is not followed: the item links to the notifications page.
    expect(text).toContain('* Acme no link (1 Dec 2026, 09:30 CET)\n  https://idm.example.com/notifications\n');
    expect(hrefsOf(html)).not.toContain('https://evil.example.com');
  });

  describe('for a host without a notifications page (no links.notificationsPath)', () => {
    let plain: EtaTemplateRenderer;
    beforeAll(async () => {
      plain = await EtaTemplateRenderer.create({ links: { baseUrl: 'https://idm.example.com/' } });
    });

    it('offers no "open your notifications" link, and counts the earlier updates without one', async () => {
      const digest = aDigest({ totalCount: 8, moreCount: 2 });
      const { text, html } = await plain.renderDigest(aRecipient(), digest);
      for (const part of [text, html]) {
        expect(part).not.toMatch(/open your notifications|see them all|\/notifications|undefined/i);
      }
      expect(text).toContain('2 earlier updates are not listed here.\n');
      expect(visibleText(html)).toMatch(/2 earlier updates are not listed here ?\./);
    });

    it('lists an item without a link of its own by name, unlinked, and keeps the others linked', async () => {
      const digest = aDigest({
        items: [aDigestItem('acme.no-link', {}), aDigestItem('query-results-changed', aQueryResultsChanged())],
      });
      const { text, html } = await plain.renderDigest(aRecipient({ timeZone: 'Europe/Zurich' }), digest);
      expect(text).toContain('* Acme no link (1 Dec 2026, 09:30 CET)\n\n* Query results changed');
      expect(html).toContain('<strong>Acme no link</strong>');
      expect(hrefsOf(html)).toEqual(['https://idm.example.com/queries/42']);
    });
  });
});
