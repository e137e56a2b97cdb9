import { z } from 'zod';

/*
 * The admin API's request shapes, once: requests are validated with them and the OpenAPI document is generated from
 * them (`openapi.ts`).
 */

const limit = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback).describe(`Page size, 1 to ${max}.`);

export const deadLettersQuery = z.object({
  kind: z.string().min(1).optional().describe('Only this kind, e.g. user-invite.'),
  recipient: z.string().min(1).optional().describe('Only this recipient: an address (any case) or, without an @, a user id.'),
  reason: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Only dead letters that failed so: an error code or its family (SEND.PERMANENT, SEND.CONFIGURATION.TLS), or a class (permanent, transient, authentication, configuration).',
    ),
  limit: limit(500, 50),
  after: z.string().min(1).optional().describe('The `next` of the previous page.'),
});

export const idParams = z.object({ id: z.string().min(1) });

export const jobParams = z.object({ job: z.string().min(1) });

export const retryBody = z.strictObject({
  ids: z.array(z.string().min(1)).min(1).max(1000).describe('Ids of dead letters to send again, with fresh attempts.'),
});

export const retryAllBody = z
  .strictObject({ batchSize: z.number().int().min(1).max(10_000).optional().describe('Dead letters per committed batch; default 1 000.') })
  .optional();

export const settingsUpdate = z.strictObject({
  set: z
    .record(z.string().min(1), z.unknown())
    .optional()
    .describe('Values to store by dotted path; secrets in plain text (sealed before storing).'),
  unset: z.array(z.string().min(1)).optional().describe('Paths to reset to their file or default value.'),
  expectedVersion: z.number().int().min(0).optional().describe('Refused with 409 when another change was saved since this version.'),
});

export const settingPathParams = z.object({
  path: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/, { error: 'must be a dotted setting path, e.g. smtp.port' })
    .describe('The setting to reset, e.g. smtp.port.'),
});

export const resetQuery = z.object({
  expectedVersion: z.coerce.number().int().min(0).optional().describe('Refused with 409 when another change was saved since this version.'),
});

export const historyQuery = z.object({
  limit: limit(500, 50),
  before: z.coerce.number().int().min(1).optional().describe('Only changes older than this version (the last entry of the previous page).'),
});

export const checkBody = settingsUpdate.optional();

export const sendTestBody = z.strictObject({
  to: z.string().min(1).optional().describe("Where to send; default: the signed-in admin's address."),
  settings: settingsUpdate.optional().describe('Settings to try on top of the current ones, without saving them.'),
});

const templateName = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, { error: 'must be a template name, e.g. user-invite.subject or _layout.html' })
  .describe('The template, e.g. user-invite.subject, digest.html or _layout.html.');

export const templateParams = z.object({ name: templateName });

export const templateBody = z.strictObject({
  source: z.string().max(200_000).describe("The template's text (eta: <%= value %> prints escaped in HTML templates)."),
});

export const templatesBody = z.strictObject({
  templates: z
    .record(templateName, z.string().max(200_000))
    .describe('Templates to save at once by name, e.g. a mail’s subject, html and text.'),
});

export const previewBody = z.strictObject({
  kind: z.string().min(1).describe('The kind to preview with its sample payload, or digest.'),
  templates: z
    .record(templateName, z.string().max(200_000))
    .optional()
    .describe('Templates not saved yet, by name, used instead of the ones in use.'),
});

export const suppressionsQuery = z.object({
  limit: limit(500, 50),
  after: z.string().min(1).optional().describe('The `next` of the previous page: the last address listed.'),
});

export const addressParams = z.object({ address: z.string().min(3).max(320).describe('The address, any case.') });
