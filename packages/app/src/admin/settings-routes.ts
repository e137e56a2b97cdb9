import { ValidationError } from '@mailroom/domain';
import { route } from './admin-route';
import { checkBody, historyQuery, resetQuery, settingPathParams, sendTestBody, settingsUpdate } from './admin-schemas';

/** The run-time settings: read, change, reset, their history, and trying a change before saving it. */
export const settingsRoutes = [
  route({
    method: 'GET',
    path: '/settings',
    summary: 'Every setting with its effective value (never a secret), its source, and whether an admin may change it.',
    handle: async ({ backend }) => backend.settings.view(),
  }),
  route({
    method: 'PATCH',
    path: '/settings',
    summary: 'Stores values and resets settings at once, recorded as the signed-in admin; 409 when expectedVersion is behind.',
    body: settingsUpdate,
    handle: ({ backend, body, identity }) => backend.settings.update(body, identity.id),
  }),
  route({
    method: 'DELETE',
    path: '/settings/:path',
    summary: 'Resets one setting to its file or default value.',
    params: settingPathParams,
    query: resetQuery,
    handle: ({ backend, params, query, identity }) =>
      backend.settings.update(
        { unset: [params.path], ...(query.expectedVersion !== undefined ? { expectedVersion: query.expectedVersion } : {}) },
        identity.id,
      ),
  }),
  route({
    method: 'GET',
    path: '/settings/history',
    summary: 'Saved changes, newest first: who, when, old → new (secrets only "changed"); page with before = the last version.',
    query: historyQuery,
    handle: async ({ backend, query }) => ({ entries: await backend.settings.history(query.limit, query.before) }),
  }),
  route({
    method: 'POST',
    path: '/settings/check',
    summary: "The doctor's walk with the current settings, or with a change applied on top of them without saving it.",
    body: checkBody,
    // `{}` is no change, as no body is (a host's JSON parser may have turned one into the other).
    handle: ({ backend, body }) => backend.checkSettings(body && Object.keys(body).length > 0 ? body : undefined),
  }),
  route({
    method: 'POST',
    path: '/settings/send-test',
    summary: 'Sends a real test mail (to the signed-in admin unless `to` says otherwise), optionally with unsaved settings.',
    body: sendTestBody,
    handle: ({ backend, body, identity }) => {
      const to = body.to ?? identity.email;
      if (to === undefined)
        throw new ValidationError(
          'ADMIN.SEND_TEST_TO',
          [{ field: 'to', problem: 'is required: the signed-in admin has no e-mail address to send to' }],
          'No address for the test mail',
        );
      return backend.sendTest(to, body.settings ? { settings: body.settings } : undefined);
    },
  }),
];
