import type { CaughtMailbox } from '../../catcher/caught-mailbox';
import type { ConsoleAnswer, ConsoleContext, ConsolePage } from '../console-page';
import { html } from '../html';
import { consolePage } from '../layout';
import { when } from './outbox-format';

/**
 * Caught mail, while the development catcher is in use: what Mailroom "sent", newest first, each with its HTML (in a
 * sandboxed iframe, from its own route) and its text — a small Mailpit. Absent (404) when mail goes to a real server.
 */
export const caughtPages: readonly ConsolePage[] = [
  {
    method: 'GET',
    path: '/caught',
    async handle(ctx) {
      const mailbox = ctx.backend.caughtMail;
      if (!mailbox) return noCatcher(ctx);
      const mails = await mailbox.list(100);
      const body = html`<p class="muted">The development mail catcher keeps every mail in <code>${mailbox.dir}</code> and sends none.</p>
        <section class="card">
          ${
            mails.length === 0
              ? html`<p class="muted">No mail caught yet.</p>`
              : html`<table>
                  <thead>
                    <tr>
                      <th scope="col">Received</th>
                      <th scope="col">From</th>
                      <th scope="col">To</th>
                      <th scope="col">Subject</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${mails.map(
                      (m) =>
                        html`<tr>
                          <td>${when(m.receivedAt)}</td>
                          <td>${m.from}</td>
                          <td>${m.to.join(', ')}</td>
                          <td><a href="${ctx.root}/caught/${encodeURIComponent(m.file)}">${m.subject || '(no subject)'}</a></td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`
          }
        </section>`;
      return { html: consolePage(ctx, { title: 'Caught mail', nav: '/caught', body }) };
    },
  },
  {
    method: 'GET',
    path: '/caught/:file',
    async handle(ctx) {
      const mailbox = ctx.backend.caughtMail;
      if (!mailbox) return noCatcher(ctx);
      const mail = await mailbox.get(ctx.hono.req.param('file') ?? '');
      if (!mail) return noSuchMail(ctx, mailbox);
      const body = html`<p><a href="${ctx.root}/caught">All caught mail</a></p>
        <section class="card">
          <dl class="facts">
            <dt>Subject</dt>
            <dd>${mail.subject}</dd>
            <dt>From</dt>
            <dd>${mail.from}</dd>
            <dt>To</dt>
            <dd>${mail.to.join(', ')}</dd>
            <dt>Received</dt>
            <dd>${when(mail.receivedAt)}</dd>
            ${
              mail.messageId
                ? html`<dt>Message-ID</dt>
                    <dd>${mail.messageId}</dd>`
                : ''
            }
          </dl>
        </section>
        <div class="grid-2">
          <section aria-labelledby="html-title">
            <h2 id="html-title">HTML</h2>
            ${
              mail.html === undefined
                ? html`<p class="muted">This mail has no HTML part.</p>`
                : html`<iframe
                    class="preview"
                    title="The mail's HTML"
                    sandbox=""
                    src="${ctx.root}/caught/${encodeURIComponent(mail.file)}/html"
                  ></iframe>`
            }
          </section>
          <section aria-labelledby="text-title">
            <h2 id="text-title">Text</h2>
            ${mail.text === undefined ? html`<p class="muted">This mail has no text part.</p>` : html`<pre>${mail.text}</pre>`}
          </section>
        </div>`;
      return { html: consolePage(ctx, { title: mail.subject || '(no subject)', nav: '/caught', body }) };
    },
  },
  {
    method: 'GET',
    path: '/caught/:file/html',
    async handle(ctx): Promise<ConsoleAnswer> {
      const mail = await ctx.backend.caughtMail?.get(ctx.hono.req.param('file') ?? '');
      if (mail?.html === undefined) return { sandboxed: 'No such caught mail, or it has no HTML part.', type: 'text/plain', status: 404 };
      return { sandboxed: mail.html, type: 'text/html' };
    },
  },
];

function noCatcher(ctx: ConsoleContext): ConsoleAnswer {
  const body = html`<p class="notice info" role="status">
    No development mail catcher is in use: mail goes to the SMTP server set on the Mail server page.
  </p>`;
  return { html: consolePage(ctx, { title: 'Caught mail', nav: '/caught', body }), status: 404 };
}

function noSuchMail(ctx: ConsoleContext, mailbox: CaughtMailbox): ConsoleAnswer {
  const body = html`<p class="notice bad" role="alert">
    No such caught mail in ${mailbox.dir}: it may have been deleted. <a href="${ctx.root}/caught">See the caught mail</a>.
  </p>`;
  return { html: consolePage(ctx, { title: 'No such mail', nav: '/caught', body }), status: 404 };
}
