import { NotFoundError } from '@mailroom/domain';
import { route } from './admin-route';
import { deadLettersQuery, idParams, jobParams, retryAllBody, retryBody } from './admin-schemas';
import { deadLetterView, notificationView, reasonCode } from './admin-views';

/** Health, diagnosis and the outbox: counts, dead letters, one mail, retries. */
export const outboxRoutes = [
  route({
    method: 'GET',
    path: '/health',
    summary: 'Whether mail goes out, and why not (mailroom.health()).',
    handle: ({ backend }) => backend.health(),
  }),
  route({
    method: 'GET',
    path: '/doctor',
    summary: 'Walks the way to the SMTP server step by step and names the first failing step with its fix (mailroom.doctor()).',
    handle: ({ backend }) => backend.doctor(),
  }),
  route({
    method: 'GET',
    path: '/outbox/counts',
    summary: 'Mails by status, and how long the oldest mail not sent yet has waited.',
    handle: async ({ backend }) => {
      const [counts, health] = await Promise.all([backend.outbox.counts(), backend.health()]);
      return { counts, ...(health.oldestPending ? { oldestPending: health.oldestPending } : {}) };
    },
  }),
  route({
    method: 'GET',
    path: '/outbox/dead-letters',
    summary: 'Dead letters, newest first, with why each died and what to do; filtered and paged (pass `next` as `after`).',
    query: deadLettersQuery,
    handle: async ({ backend, query }) => {
      const byAddress = query.recipient?.includes('@');
      const page = await backend.outbox.list({
        status: 'dead',
        ...(query.kind ? { kind: query.kind } : {}),
        ...(query.recipient ? (byAddress ? { address: query.recipient } : { userId: query.recipient }) : {}),
        ...(query.reason ? { errorCode: reasonCode(query.reason) } : {}),
        ...(query.after ? { afterId: query.after } : {}),
        // One more than asked: whether there is a next page.
        limit: query.limit + 1,
      });
      const items = page.slice(0, query.limit);
      return { items: items.map(deadLetterView), ...(page.length > query.limit ? { next: items[items.length - 1]!.id } : {}) };
    },
  }),
  route({
    method: 'GET',
    path: '/outbox/notifications/:id',
    summary: 'One mail: its state, attempts and last error.',
    params: idParams,
    handle: async ({ backend, params }) => notificationView(await backend.outbox.get(params.id)),
  }),
  route({
    method: 'POST',
    path: '/outbox/retry',
    summary: 'Sends these dead letters again with fresh attempts; 404 naming the ids that are not dead letters.',
    body: retryBody,
    handle: async ({ backend, body }) => ({ retried: await backend.outbox.retryDead(body.ids) }),
  }),
  route({
    method: 'POST',
    path: '/outbox/retry-all',
    summary: 'Starts sending every dead letter again, in committed batches; answers the job to follow (one at a time per process).',
    body: retryAllBody,
    status: 202,
    handle: async ({ jobs, identity, body }) => jobs.start(identity.id, body?.batchSize),
  }),
  route({
    method: 'GET',
    path: '/outbox/retry-all/:job',
    summary: 'How far a retry of every dead letter has come: done, total, finished, error.',
    params: jobParams,
    handle: async ({ jobs, params }) => {
      const job = jobs.get(params.job);
      if (!job)
        throw new NotFoundError(
          'ADMIN.NO_SUCH_JOB',
          `No retry job ${params.job} in this process: it ran on another node, or finished long ago. Dead letters left: see /outbox/counts.`,
        );
      return job;
    },
  }),
];
