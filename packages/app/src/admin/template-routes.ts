import { route } from './admin-route';
import { previewBody, templateBody, templateParams, templatesBody } from './admin-schemas';

/** The templates admins edit: list, read with the built-in text, save (checked first), reset, preview. */
export const templateRoutes = [
  route({
    method: 'GET',
    path: '/templates',
    summary: 'Every template in use with its kind, part and where it comes from (built-in, directory, host, saved).',
    handle: async ({ backend }) => ({ templates: backend.templates.list() }),
  }),
  route({
    method: 'GET',
    path: '/templates/:name',
    summary: 'One template: its text in use and its built-in text.',
    params: templateParams,
    handle: async ({ backend, params }) => backend.templates.get(params.name),
  }),
  route({
    method: 'PUT',
    path: '/templates/:name',
    summary:
      "Saves one template after it compiled and rendered with the kinds' samples (422 with the line otherwise); the other parts of the mail are kept as they are.",
    params: templateParams,
    body: templateBody,
    handle: async ({ backend, params, body, identity }) => ({
      templates: await backend.templates.save({ [params.name]: body.source }, identity.id),
    }),
  }),
  route({
    method: 'PUT',
    path: '/templates',
    summary: 'Saves several templates at once (e.g. a mail’s subject, html and text), checked together first.',
    body: templatesBody,
    handle: async ({ backend, body, identity }) => ({ templates: await backend.templates.save(body.templates, identity.id) }),
  }),
  route({
    method: 'DELETE',
    path: '/templates/:name',
    summary: 'Resets a template, with the other parts of its mail, to the built-in (or file, or host) text.',
    params: templateParams,
    handle: async ({ backend, params, identity }) => ({ templates: await backend.templates.reset([params.name], identity.id) }),
  }),
  route({
    method: 'POST',
    path: '/templates/preview',
    summary: "A kind's mail (or the digest) rendered with its sample payload, with unsaved templates when given: subject, html, text.",
    body: previewBody,
    handle: ({ backend, body }) => backend.templates.preview(body.kind, body.templates ?? {}),
  }),
];
