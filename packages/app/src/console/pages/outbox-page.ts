import { NotFoundError, type Notification } from '@mailroom/domain';
import { deadLetterView, reasonCode } from '../../admin/admin-views';
import { formOf, type ConsoleContext, type ConsolePage } from '../console-page';
import { html, type SafeHtml } from '../html';
import { consolePage, csrfField } from '../layout';
import { age, reasonHtml, recipientText, when } from './outbox-format';

const PAGE_SIZE = 25;

/** The failure classes a dead letter's reason can be filtered by (the admin API's `reason`). */
const REASONS: readonly [value: string, label: string][] = [
  ['', 'Any reason'],
  ['permanent', 'Refused for good (permanent)'],
  ['transient', 'Retries ran out (transient)'],
  ['authentication', 'Authentication'],
  ['configuration', 'Configuration'],
];

/**
 * Outbox: mails by status, the oldest waiting mail's age, the dead letters — why each died and what to do —
 * filtered by kind, recipient and reason, paged, each retried on its own or all at once.
 */
export const outboxPages: readonly ConsolePage[] = [
  {
    method: 'GET',
    path: '/outbox',
    async handle(ctx) {
      const q = ctx.hono.req.query();
      const filter = { kind: q.kind?.trim() ?? '', recipient: q.recipient?.trim() ?? '', reason: q.reason?.trim() ?? '' };
      const limit = Math.min(Math.max(Math.trunc(Number(q.limit)) || PAGE_SIZE, 1), 100);
      const [counts, health, page] = await Promise.all([
        ctx.backend.outbox.counts(),
        ctx.backend.health(),
        ctx.backend.outbox.list({
          status: 'dead',
          ...(filter.kind ? { kind: filter.kind } : {}),
          ...(filter.recipient ? (filter.recipient.includes('@') ? { address: filter.recipient } : { userId: filter.recipient }) : {}),
          ...(filter.reason ? { errorCode: reasonCode(filter.reason) } : {}),
          ...(q.after ? { afterId: q.after } : {}),
          limit: limit + 1, // one more than shown: whether there is a next page
        }),
      ]);
      const items = page.slice(0, limit);
      const next = page.length > limit ? items[items.length - 1]!.id : undefined;
      const query = (extra: Record<string, string>) =>
        new URLSearchParams(
          Object.entries({ ...filter, ...(limit === PAGE_SIZE ? {} : { limit: String(limit) }), ...extra }).filter(([, v]) => v !== ''),
        ).toString();
      const body = html`<section class="card" aria-labelledby="counts-title">
          <h2 id="counts-title">Mails by status</h2>
          <ul class="counts">
            ${Object.entries(counts).map(([status, count]) => html`<li><strong>${count}</strong> ${status}</li>`)}
          </ul>
          <p>
            ${
              health.oldestPending
                ? html`The oldest mail not sent yet has waited <strong>${age(health.oldestPending.ageSeconds)}</strong> (since
                    ${when(health.oldestPending.since)}).`
                : 'No mail is waiting to be sent.'
            }
          </p>
        </section>
        <section class="card" aria-labelledby="dead-title">
          <h2 id="dead-title">Dead letters</h2>
          <form method="get" action="${ctx.root}/outbox" class="filters" role="search">
            <div>
              <label for="filter-kind">Kind</label>
              <input type="text" id="filter-kind" name="kind" value="${filter.kind}" placeholder="e.g. user-invite" />
            </div>
            <div>
              <label for="filter-recipient">Recipient</label>
              <input type="text" id="filter-recipient" name="recipient" value="${filter.recipient}" placeholder="address or user id" />
            </div>
            <div>
              <label for="filter-reason">Reason</label>
              <select id="filter-reason" name="reason">
                ${REASONS.map(
                  ([value, label]) => html`<option value="${value}" ${value === filter.reason ? html`selected` : ''}>${label}</option>`,
                )}
              </select>
            </div>
            <div><button type="submit" class="secondary">Filter</button></div>
          </form>
          ${
            items.length === 0
              ? html`<p class="muted">No dead letters${filter.kind || filter.recipient || filter.reason ? ' match these filters' : ''}.</p>`
              : deadLetterTable(ctx, items)
          }
          <p>
            ${q.after ? html`<a href="${ctx.root}/outbox?${query({})}">First page</a>` : ''}
            ${next ? html`<a href="${ctx.root}/outbox?${query({ after: next })}">Next page</a>` : ''}
          </p>
          ${counts.dead > 0 ? retryAllForm(ctx, counts.dead) : ''}
        </section>`;
      return { html: consolePage(ctx, { title: 'Outbox', nav: '/outbox', body, scripts: ['outbox'] }) };
    },
  },
  {
    method: 'POST',
    path: '/outbox/:id/retry',
    async handle(ctx) {
      const id = ctx.hono.req.param('id') ?? '';
      const form = await formOf(ctx);
      try {
        await ctx.backend.outbox.retryDead([id]);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        const body = html`<p class="notice bad" role="alert">${error.message}</p>
          <p><a href="${ctx.root}/outbox">Back to the outbox</a></p>`;
        return { html: consolePage(ctx, { title: 'Not retried', nav: '/outbox', body }), status: 404 };
      }
      const back = form.back === 'mail' ? `${ctx.root}/outbox/${encodeURIComponent(id)}` : `${ctx.root}/outbox`;
      return { redirect: `${back}?notice=retried` };
    },
  },
];

function deadLetterTable(ctx: ConsoleContext, items: readonly Notification[]): SafeHtml {
  return html`<table>
    <thead>
      <tr>
        <th scope="col">Created</th>
        <th scope="col">Kind</th>
        <th scope="col">Recipient</th>
        <th scope="col">Why it died, and what to do</th>
        <th scope="col"><span class="sr-only">Actions</span></th>
      </tr>
    </thead>
    <tbody>
      ${items.map((n) => {
        const view = deadLetterView(n);
        return html`<tr>
          <td><a href="${ctx.root}/outbox/${encodeURIComponent(n.id)}">${when(n.createdAt)}</a></td>
          <td>${n.kind}</td>
          <td>${recipientText(n)}</td>
          <td>
            ${reasonHtml(view.reason)}
            <div class="muted">${view.hint}</div>
          </td>
          <td>
            <form method="post" action="${ctx.root}/outbox/${encodeURIComponent(n.id)}/retry">
              ${csrfField(ctx)}
              <button type="submit" class="secondary" aria-label="Retry the mail to ${n.recipient.email.address}">Retry</button>
            </form>
          </td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

function retryAllForm(ctx: ConsoleContext, dead: number): SafeHtml {
  const api = ctx.root.slice(0, ctx.root.lastIndexOf('/console'));
  return html`<form method="post" action="${ctx.root}/outbox/retry-all" data-retry-all data-api="${api}">
      ${csrfField(ctx)}
      <div class="actions">
        <button type="submit" data-confirm="Send all ${dead} dead letters again, with fresh attempts?">
          Retry all ${dead} dead letters
        </button>
      </div>
    </form>
    <p id="retry-progress" role="status" class="hidden"><progress max="1" value="0"></progress> <span></span></p>`;
}
