import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailroomError } from '@mailroom/domain';
import { EtaTemplateRenderer } from '@mailroom/adapters';
import type { TemplateSettings } from '../../../packages/adapters/src/templates/template-settings';
import { aChangeRequest, aUserInvite } from '../../support/payloads';
import { aDigest, aDigestItem, aNotification, aRecipient, hrefsOf } from '../../support/rendering';

const links = { baseUrl: 'https://idm.example.com/' };
const REPORT = {
  'acme.report-ready.subject': 'Report ready: <%= it.line(it.payload.reportName, 80) %>',
  'acme.report-ready.html':
    '<p>Your report <%= it.payload.reportName %> is ready.</p><a href="<%= it.link(it.payload.linkPath) %>">Open</a>',
  'acme.report-ready.text': 'Your report <%= it.payload.reportName %> is ready: <%= it.link(it.payload.linkPath) %>',
};

async function startupError(settings: TemplateSettings): Promise<MailroomError> {
  const error = await EtaTemplateRenderer.create(settings).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MailroomError);
  return error as MailroomError;
}

/** The other parts of a kind's mail, plain and valid, so a test's one broken part is the only problem. */
async function writeSiblings(dir: string, kind: string, broken: 'subject' | 'html' | 'text'): Promise<void> {
  for (const part of ['subject', 'html', 'text'].filter((p) => p !== broken))
    await writeFile(join(dir, `${kind}.${part}.eta`), `${kind} ${part}`);
}

describe('EtaTemplateRenderer overrides', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mailroom-templates-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A kind's mail is overridden whole: subject, html and text. */
  async function writeInvite(subject: string): Promise<void> {
    await writeFile(join(dir, 'user-invite.subject.eta'), subject);
    await writeFile(join(dir, 'user-invite.html.eta'), '<p><%= it.payload.inviterName %> invites you to <%= it.payload.accountName %></p>');
    await writeFile(
      join(dir, 'user-invite.text.eta'),
      '<%= it.payload.inviterName %> invites you to <%= it.payload.accountName %>, from the directory',
    );
  }

  it("takes a kind's templates from the directory over the built-in ones, keeping the other kinds'", async () => {
    await writeInvite('Welcome to <%= it.payload.accountName %>, from the directory');
    const renderer = await EtaTemplateRenderer.create({ links, overrides: { directory: dir } });
    const mail = await renderer.render(aNotification('user-invite', aUserInvite()));
    expect(mail.subject).toBe('Welcome to Acme Corp, from the directory');
    expect(mail.text).toContain('Grace Hopper invites you to Acme Corp, from the directory');
    expect((await renderer.render(aNotification('change-request', aChangeRequest()))).subject).toContain('[CR-');
  });

  it('lets in-code templates win over the directory', async () => {
    await writeInvite('from the directory');
    const renderer = await EtaTemplateRenderer.create({
      links,
      overrides: { directory: dir, templates: { 'user-invite.subject': 'from code' } },
    });
    expect((await renderer.render(aNotification('user-invite', aUserInvite()))).subject).toBe('from code');
  });

  it('replaces the shared layout, and ignores files that are not .eta', async () => {
    await writeFile(join(dir, '_layout.html.eta'), '<html><body data-layout="host"><%~ it.body %></body></html>');
    await writeFile(join(dir, 'README.md'), 'notes for the admins');
    const renderer = await EtaTemplateRenderer.create({ links, overrides: { directory: dir } });
    const { html } = await renderer.render(aNotification('user-invite', aUserInvite()));
    expect(html.startsWith('<html><body data-layout="host"><h1')).toBe(true);
  });

  it('adds templates for a host-defined kind, and its digest items fall back to the generic item', async () => {
    const renderer = await EtaTemplateRenderer.create({ links, overrides: { templates: REPORT } });
    expect(renderer.supports('acme.report-ready')).toBe(true);
    const payload = { reportName: 'Q4 <leavers>', linkPath: '/reports/9' };
    const mail = await renderer.render(aNotification('acme.report-ready', payload));
    expect(mail.subject).toBe('Report ready: Q4 <leavers>');
    expect(mail.html).toContain('<p>Your report Q4 &lt;leavers&gt; is ready.</p>');
    expect(mail.text).toContain('is ready: https://idm.example.com/reports/9');
    const digest = await renderer.renderDigest(aRecipient(), aDigest({ items: [aDigestItem('acme.report-ready', payload)] }));
    expect(digest.text).toContain('* Acme report ready (1 Dec 2026, 08:30 UTC)\n  https://idm.example.com/reports/9');
  });

  it("uses a host kind's own item templates in digests", async () => {
    const renderer = await EtaTemplateRenderer.create({
      links,
      overrides: {
        templates: {
          'acme.report-ready.item.html': '<b>Report</b> <%= it.payload.reportName %>',
          'acme.report-ready.item.text': 'Report <%= it.payload.reportName %>',
        },
      },
    });
    const digest = await renderer.renderDigest(
      aRecipient(),
      aDigest({ items: [aDigestItem('acme.report-ready', { reportName: 'Q4 & co' })] }),
    );
    expect(digest.text).toContain('* Report Q4 & co\n');
    expect(digest.html).toContain('<b>Report</b> Q4 &amp; co');
  });

  it('refuses a kind without templates with TEMPLATE.MISSING, naming the kind and the files to add', async () => {
    const renderer = await EtaTemplateRenderer.create({ links });
    expect(renderer.supports('acme.report-ready')).toBe(false);
    const error = await renderer.render(aNotification('acme.report-ready', {})).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TEMPLATE.MISSING' });
    expect((error as Error).message).toContain('"acme.report-ready"');
    expect((error as Error).message).toContain('acme.report-ready.subject.eta, acme.report-ready.html.eta and acme.report-ready.text.eta');
  });

  describe('fails at start-up, naming the template, the line and the problem', () => {
    it('for an unclosed tag in a file', async () => {
      const file = join(dir, 'user-invite.html.eta');
      await writeFile(file, '<p>Hello</p>\n<p>\n<%= it.payload.accountName\n</p>\n');
      await writeSiblings(dir, 'user-invite', 'html');
      const error = await startupError({ links, overrides: { directory: dir } });
      expect(error.code).toBe('TEMPLATE.SYNTAX');
      expect(error.message).toContain(file);
      expect(error.message).toContain('line 3');
      expect(error.message).toContain('unclosed tag');
    });

    it('for a JavaScript syntax error in template code', async () => {
      const file = join(dir, 'change-request.text.eta');
      await writeSiblings(dir, 'change-request', 'text');
      await writeFile(file, 'Line one\nLine two\n<% if (it.payload.title { -%>\nyes\n<% } -%>\n');
      const error = await startupError({ links, overrides: { directory: dir } });
      expect(error.code).toBe('TEMPLATE.SYNTAX');
      expect(error.message).toContain(file);
      expect(error.message).toMatch(/line 3: Unexpected token/);
    });

    it('for a block never closed, in an in-code template', async () => {
      const error = await startupError({
        links,
        overrides: {
          templates: { 'digest.subject': 'Digest', 'digest.html': '<p>Digest</p>', 'digest.text': 'a\n<% if (it.moreCount) { %>\nmore\n' },
        },
      });
      expect(error.code).toBe('TEMPLATE.SYNTAX');
      expect(error.message).toContain('overrides.templates["digest.text"]');
      expect(error.message).toContain('never closed');
    });

    it('for a template that fails when rendered (a misspelt field), found by rendering samples', async () => {
      const file = join(dir, 'import-failed.text.eta');
      await writeSiblings(dir, 'import-failed', 'text');
      await writeFile(file, 'Import failed\n\n<%= it.paylod.connectorName %>\n');
      const error = await startupError({ links, overrides: { directory: dir } });
      expect(error.code).toBe('TEMPLATE.RENDER');
      expect(error.message).toContain(file);
      expect(error.message).toContain('line 3');
      expect(error.message).toMatch(/reading 'connectorName'/);
    });

    it("for a host kind's template, when the host gives a sample payload", async () => {
      const error = await startupError({
        links,
        overrides: {
          templates: { ...REPORT, 'acme.report-ready.text': 'ok\n<%= it.payload.report.name %>' },
          samples: { 'acme.report-ready': { reportName: 'Q4', linkPath: '/reports/9' } },
        },
      });
      expect(error.message).toContain('acme.report-ready.text');
      expect(error.message).toContain('line 2');
    });

    it('for a file whose name follows no rule (a typo would otherwise be ignored)', async () => {
      await writeFile(join(dir, 'user-invite.htm.eta'), '<p>hi</p>');
      const error = await startupError({ links, overrides: { directory: dir } });
      expect(error.code).toBe('CONFIG.TEMPLATES');
      expect(error.message).toContain('user-invite.htm.eta');
      expect(error.message).toContain('<kind>.subject');
    });

    it('for a kind given a subject but no html and text', async () => {
      const error = await startupError({ links, overrides: { templates: { 'acme.report-ready.subject': 'Report' } } });
      expect(error.code).toBe('TEMPLATE.INCOMPLETE');
      expect(error.message).toContain('acme.report-ready.html, acme.report-ready.text');
    });

    it('for a subject overridden without its html and text (the naming rules: all three or none)', async () => {
      const file = join(dir, 'user-invite.subject.eta');
      await writeFile(file, 'Welcome');
      const error = await startupError({ links, overrides: { directory: dir } });
      expect(error.code).toBe('TEMPLATE.INCOMPLETE');
      expect(error.message).toContain(file);
      expect(error.message).toContain('but no user-invite.html, user-invite.text');
    });

    it('for an item.html without its item.text', async () => {
      const file = join(dir, 'user-invite.item.html.eta');
      await writeFile(file, '<b>invite</b>');
      const error = await startupError({ links, overrides: { directory: dir } });
      expect(error.code).toBe('TEMPLATE.INCOMPLETE');
      expect(error.message).toContain(file);
      expect(error.message).toContain('but no user-invite.item.text');
    });

    it('for templates of a misspelt kind, naming the file and the kind it likely meant', async () => {
      for (const part of ['subject', 'html', 'text']) await writeFile(join(dir, `user-invtie.${part}.eta`), 'x');
      const error = await startupError({ links, overrides: { directory: dir, kinds: ['user-invite', 'change-request'] } });
      expect(error.code).toBe('CONFIG.TEMPLATES');
      expect(error.message).toMatch(
        /user-invtie\.(subject|html|text)\.eta is for kind "user-invtie", which is not defined; did you mean "user-invite"\?/,
      );
    });

    it('for a template saved with another extension than .eta, naming the file and the name to give it', async () => {
      const file = join(dir, 'user-invite.text.txt');
      await writeFile(file, 'Hello');
      const error = await startupError({ links, overrides: { directory: dir, names: { directory: 'templates.directory' } } });
      expect(error.code).toBe('CONFIG.TEMPLATES');
      expect(error.message).toContain(`${file} in templates.directory is not a template`);
      expect(error.message).toContain('rename it to user-invite.text.eta');
    });

    it('naming the setting the host gave the directory in', async () => {
      const error = await startupError({
        links,
        overrides: { directory: join(dir, 'missing'), names: { directory: 'templates.directory (MAILROOM_TEMPLATES_DIR)' } },
      });
      expect(error.message).toContain('create it or fix templates.directory (MAILROOM_TEMPLATES_DIR)');
    });

    it('for a directory that does not exist', async () => {
      const error = await startupError({ links, overrides: { directory: join(dir, 'missing') } });
      expect(error.code).toBe('CONFIG.TEMPLATES');
      expect(error.message).toContain('ENOENT');
    });
  });

  it('escapes in HTML overrides too: autoescape is on for every .html template', async () => {
    const renderer = await EtaTemplateRenderer.create({
      links,
      overrides: {
        templates: { 'change-request.subject': 'CR', 'change-request.html': '<p><%= it.payload.title %></p>', 'change-request.text': 'CR' },
      },
    });
    const { html } = await renderer.render(aNotification('change-request', aChangeRequest({ title: '<script>x</script>' })));
    expect(html).toContain('<p>&lt;script&gt;x&lt;/script&gt;</p>');
    expect(hrefsOf(html)).toEqual([]);
  });
});
