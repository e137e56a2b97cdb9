import { NotFoundError } from '@mailroom/domain';
import { route } from './admin-route';
import { addressParams, suppressionsQuery } from './admin-schemas';

/** The suppression list: addresses whose mailbox does not exist; read it, take one off, empty it. */
export const suppressionRoutes = [
  route({
    method: 'GET',
    path: '/suppressions',
    summary: 'Addresses that get no mail (their mailbox does not exist), in address order, paged (pass `next` as `after`).',
    query: suppressionsQuery,
    handle: async ({ backend, query }) => {
      // One more than asked: whether there is a next page.
      const page = await backend.suppressions.list({ limit: query.limit + 1, ...(query.after ? { afterAddress: query.after } : {}) });
      const items = page.slice(0, query.limit);
      return { items, ...(page.length > query.limit ? { next: items[items.length - 1]!.address } : {}) };
    },
  }),
  route({
    method: 'DELETE',
    path: '/suppressions/:address',
    summary: 'Takes one address off the list (any case): mail to it goes out again; 404 when it is not there.',
    params: addressParams,
    handle: async ({ backend, params }) => {
      if (!(await backend.suppressions.remove(params.address))) {
        throw new NotFoundError('SUPPRESSION.NOT_FOUND', `${params.address} is not on the suppression list.`);
      }
      return { removed: params.address };
    },
  }),
  route({
    method: 'DELETE',
    path: '/suppressions',
    summary: 'Empties the suppression list; answers how many addresses it held.',
    handle: async ({ backend }) => ({ cleared: await backend.suppressions.clear() }),
  }),
];
