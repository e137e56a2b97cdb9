import { NotFoundError, type Notification } from '@mailroom/domain';
import { deadLetterHint } from '../../admin/admin-views';
import type { ConsolePage } from '../console-page';
import { html } from '../html';
import { consolePage, csrfField } from '../layout';
import { reasonHtml, recipientText, when } from './outbox-format';

/** One mail of the outbox: its state, attempts, last error with what to do, its payload; a dead letter can be retried. */
export const outboxMailPages: readonly ConsolePage[] = [
  {
    method: 'GET',
    path: '/outbox/:id',
    async handle(ctx) {
      const id = ctx.hono.req.param('id') ?? '';
      let n: Notification;
      try {
        n = await ctx.backend.outbox.get(id);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        const body = html`<p class="notice bad" role="alert">${error.message}</p>
          <p><a href="${ctx.root}/outbox">Back to the outbox</a></p>`;
        return { html: consolePage(ctx, { title: 'No such mail', nav: '/outbox', body }), status: 404 };
      }
      const facts: [string, string][] = [
        ['Id', n.id],
        ['Kind', n.kind],
        ['Status', n.status],
        ['Delivery', n.delivery],
        ['Recipient', recipientText(n)],
        ...(n.topic ? [['Topic', n.topic] as [string, string]] : []),
        ['Attempts', String(n.attempts)],
        ['Created', when(n.createdAt)],
        ...(n.status === 'pending' ? [['Next attempt', when(n.nextAttemptAt)] as [string, string]] : []),
        ...(n.sentAt ? [['Sent', when(n.sentAt)] as [string, string]] : []),
        ...(n.messageId ? [['Message-ID', n.messageId] as [string, string]] : []),
        ...(n.claimedBy ? [['Last claimed by', n.claimedBy] as [string, string]] : []),
        ...(n.digestId ? [['Sent in digest', n.digestId] as [string, string]] : []),
      ];
      const body = html`<p><a href="${ctx.root}/outbox">Back to the outbox</a></p>
        <section class="card">
          <dl class="facts">
            ${facts.map(
              ([label, value]) =>
                html`<dt>${label}</dt>
                  <dd>${value}</dd>`,
            )}
          </dl>
        </section>
        ${
          n.lastError
            ? html`<section class="card" aria-labelledby="error-title">
                <h2 id="error-title">Last error</h2>
                <p>${reasonHtml(n.lastError)}</p>
                <p class="muted">${deadLetterHint(n.lastError)}</p>
              </section>`
            : ''
        }
        ${
          n.status === 'dead'
            ? html`<form method="post" action="${ctx.root}/outbox/${encodeURIComponent(n.id)}/retry">
                ${csrfField(ctx)}<input type="hidden" name="back" value="mail" />
                <div class="actions"><button type="submit">Retry this mail</button></div>
              </form>`
            : ''
        }
        <section class="card" aria-labelledby="payload-title">
          <h2 id="payload-title">Payload</h2>
          <pre>${JSON.stringify(n.payload, null, 2)}</pre>
        </section>`;
      return { html: consolePage(ctx, { title: `Mail to ${n.recipient.email.address}`, nav: '/outbox', body }) };
    },
  },
];
