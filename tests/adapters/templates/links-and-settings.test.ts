import { KNOWN_KINDS, MailroomError } from '@mailroom/domain';
import { EtaTemplateRenderer } from '@mailroom/adapters';
import { FULL_PAYLOADS } from '../../support/payloads';
import { aDigest, aNotification, aRecipient, hrefsOf, urlsOf } from '../../support/rendering';

describe('EtaTemplateRenderer links and settings', () => {
  it('builds every link on the base URL and keeps its path prefix', async () => {
    const renderer = await EtaTemplateRenderer.create({
      links: { baseUrl: 'https://lb.example.com:8443/idm', preferencesPath: '/me/notifications' },
    });
    const query = await renderer.render(aNotification('query-results-changed', FULL_PAYLOADS['query-results-changed']()));
    expect(hrefsOf(query.html)).toEqual([
      'https://lb.example.com:8443/idm/queries/42',
      'https://lb.example.com:8443/idm/queries/42',
      'https://lb.example.com:8443/idm/me/notifications',
    ]);
    expect(urlsOf(query.text)).toEqual(['https://lb.example.com:8443/idm/queries/42', 'https://lb.example.com:8443/idm/me/notifications']);
    for (const kind of KNOWN_KINDS) {
      const mail = await renderer.render(aNotification(kind, FULL_PAYLOADS[kind]()));
      for (const link of [...hrefsOf(mail.html), ...urlsOf(mail.text)]) expect(link).toMatch(/^https:\/\/lb\.example\.com:8443\/idm\//);
    }
  });

  it('keeps query strings and encoded characters of a link path', async () => {
    const renderer = await EtaTemplateRenderer.create({ links: { baseUrl: 'https://lb.example.com/idm/' } });
    const payload = { ...FULL_PAYLOADS['query-results-changed'](), linkPath: '/queries/42?tab=rows&since=2026-12-01#top' };
    const { html, text } = await renderer.render(aNotification('query-results-changed', payload));
    expect(hrefsOf(html)[0]).toBe('https://lb.example.com/idm/queries/42?tab=rows&since=2026-12-01#top');
    expect(html).toContain('href="https://lb.example.com/idm/queries/42?tab=rows&amp;since=2026-12-01#top"');
    expect(text).toContain('https://lb.example.com/idm/queries/42?tab=rows&since=2026-12-01#top');
  });

  it('never leaves the base URL, its path prefix included: dot segments are refused, plain or percent-encoded', async () => {
    const renderer = await EtaTemplateRenderer.create({ links: { baseUrl: 'https://lb.example.com/idm/' } });
    for (const linkPath of ['/../../admin/x', '/queries/../../admin', '/%2e%2e/admin', '/.%2E/admin', '/./x', '/a/..']) {
      const payload = { ...FULL_PAYLOADS['workflow-task-assigned'](), linkPath };
      await expect(renderer.render(aNotification('workflow-task-assigned', payload))).rejects.toMatchObject({ code: 'TEMPLATE.LINK' });
    }
    // Dots inside a segment are ordinary characters.
    const payload = { ...FULL_PAYLOADS['workflow-task-assigned'](), linkPath: '/files/report..v2.pdf' };
    expect(hrefsOf((await renderer.render(aNotification('workflow-task-assigned', payload))).html)).toContain(
      'https://lb.example.com/idm/files/report..v2.pdf',
    );
  });

  it('links a digest to the configured notifications page', async () => {
    const renderer = await EtaTemplateRenderer.create({ links: { baseUrl: 'http://idm.internal/app/', notificationsPath: '/inbox' } });
    const { html } = await renderer.renderDigest(aRecipient(), aDigest({ moreCount: 1 }));
    expect(hrefsOf(html)).toContain('http://idm.internal/app/inbox');
  });

  it('refuses a payload link that is not a path (an absolute URL would point anywhere)', async () => {
    const renderer = await EtaTemplateRenderer.create({ links: { baseUrl: 'https://idm.example.com/' } });
    for (const linkPath of ['https://evil.example.com/x', '//evil.example.com/x', 'javascript:alert(1)']) {
      const payload = { ...FULL_PAYLOADS['workflow-task-assigned'](), linkPath };
      await expect(renderer.render(aNotification('workflow-task-assigned', payload))).rejects.toMatchObject({ code: 'TEMPLATE.LINK' });
    }
  });

  it.each([
    ['ftp://idm.example.com/', 'uses ftp'],
    ['javascript:alert(1)', 'uses javascript'],
    ['mailto:admin@example.com', 'uses mailto'],
    ['idm.example.com', 'is not a URL'],
    ['', 'is missing'],
    ['https://user:secret@idm.example.com/', 'user name or password'],
    ['https://idm.example.com/?x=1', 'query or fragment'],
  ])('rejects the base URL %j with CONFIG.LINKS_BASE_URL', async (baseUrl, problem) => {
    const error = await EtaTemplateRenderer.create({ links: { baseUrl } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailroomError);
    expect(error).toMatchObject({ code: 'CONFIG.LINKS_BASE_URL' });
    expect((error as Error).message).toContain(problem);
    expect((error as Error).message).not.toContain('secret');
  });

  it('rejects a subject prefix or product name with a line break', async () => {
    for (const settings of [{ subjectPrefix: '[IDM]\r\nBcc: x' }, { productName: 'IDM\n' }]) {
      await expect(EtaTemplateRenderer.create({ links: { baseUrl: 'https://idm.example.com/' }, ...settings })).rejects.toMatchObject({
        code: 'CONFIG.TEMPLATES',
      });
    }
  });

  it('puts the subject prefix before every subject, adding the space it needs', async () => {
    for (const subjectPrefix of ['[IDM]', '[IDM] ']) {
      const renderer = await EtaTemplateRenderer.create({ links: { baseUrl: 'https://idm.example.com/' }, subjectPrefix });
      expect((await renderer.render(aNotification('import-failed', FULL_PAYLOADS['import-failed']()))).subject).toBe(
        '[IDM] Import failed: HR feed',
      );
      expect((await renderer.renderDigest(aRecipient(), aDigest())).subject).toBe('[IDM] Your notifications: 6 updates');
    }
  });
});
