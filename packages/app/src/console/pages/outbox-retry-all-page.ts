import type { ConsolePage } from '../console-page';
import { html, raw } from '../html';
import { consolePage } from '../layout';

/**
 * Retrying every dead letter without script: the form starts the job (the one the JSON API reports on, so a page script
 * polls `GET <api>/outbox/retry-all/<job>` instead) and its page refreshes itself until the job is done.
 */
export const outboxRetryAllPages: readonly ConsolePage[] = [
  {
    method: 'POST',
    path: '/outbox/retry-all',
    async handle(ctx) {
      const job = ctx.jobs.start(ctx.identity.id);
      return { redirect: `${ctx.root}/outbox/retry-all/${encodeURIComponent(job.id)}` };
    },
  },
  {
    method: 'GET',
    path: '/outbox/retry-all/:job',
    async handle(ctx) {
      const job = ctx.jobs.get(ctx.hono.req.param('job') ?? '');
      if (!job) {
        const body = html`<p class="notice info" role="status">
            This retry ran on another node or finished long ago; the outbox shows the dead letters left.
          </p>
          <p><a href="${ctx.root}/outbox">Back to the outbox</a></p>`;
        return { html: consolePage(ctx, { title: 'Retry of every dead letter', nav: '/outbox', body }), status: 404 };
      }
      const body = html`${job.finished ? '' : raw('<meta http-equiv="refresh" content="1" />')}
        <p role="status">
          <progress max="${Math.max(job.total, 1)}" value="${job.done}"></progress>
          ${
            job.finished
              ? `Done: ${job.done} dead letters back in line.`
              : `Retried ${job.done} of ${job.total} dead letters… (this page refreshes itself)`
          }
        </p>
        ${job.error ? html`<p class="notice bad" role="alert">Stopped early: ${job.error.message}</p>` : ''}
        <p><a href="${ctx.root}/outbox">Back to the outbox</a></p>`;
      return { html: consolePage(ctx, { title: 'Retry of every dead letter', nav: '/outbox', body }) };
    },
  },
];
