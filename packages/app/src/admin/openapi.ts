import { z } from 'zod';
import type { AdminRoute } from './admin-route';
import { ADMIN_REQUEST_HEADER, changesState } from './request-guard';

/** An OpenAPI 3.1 document (JSON Schema 2020-12 inside), as plain JSON. */
export type OpenApiDocument = Record<string, unknown>;

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable, namespaced, e.g. OUTBOX.NOT_FOUND.' },
        message: { type: 'string', description: 'What is wrong and how to fix it.' },
        issues: {
          type: 'array',
          items: {
            type: 'object',
            required: ['field', 'problem'],
            properties: { field: { type: 'string' }, problem: { type: 'string' }, code: { type: 'string' } },
          },
        },
        hint: { type: 'string' },
        responseCode: { type: 'integer' },
      },
    },
  },
};

const ERRORS: Record<string, string> = {
  '401': 'No identity: the host did not recognise the caller.',
  '403':
    'Refused by the host, or a change without the cross-site request checks (JSON content type, and X-Mailroom-Request: 1 or a same-site Origin).',
  '404': 'Not found.',
  '409': 'The settings changed since expectedVersion.',
  '422': 'Invalid input: every wrong field in issues.',
  '500': "Unexpected: the reason is in Mailroom's log.",
  '503': 'The database does not answer; try again.',
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
}

/** `{ name: schema }` of an object schema, for parameters. */
function fields(schema: z.ZodType | undefined): [name: string, schema: Record<string, unknown>, required: boolean][] {
  if (!schema) return [];
  const object = jsonSchema(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, s]) => [name, s, object.required?.includes(name) ?? false]);
}

function operation(route: AdminRoute): Record<string, unknown> {
  const parameters = [
    ...fields(route.params).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
    ...fields(route.query).map(([name, schema, required]) => ({
      name,
      in: 'query',
      required,
      schema,
      ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    })),
    ...(changesState(route.method)
      ? [
          {
            name: ADMIN_REQUEST_HEADER,
            in: 'header',
            required: false,
            schema: { type: 'string', enum: ['1'] },
            description: 'Required unless a same-site Origin or a bearer token is sent.',
          },
        ]
      : []),
  ];
  const requestBody = route.body
    ? {
        required: !route.body.safeParse(undefined).success,
        content: { 'application/json': { schema: jsonSchema(route.body) } },
      }
    : changesState(route.method)
      ? { required: false, content: { 'application/json': { schema: { type: 'object' } } } }
      : undefined;
  const errorResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  return {
    summary: route.summary,
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[/:]+([a-z])/g, (_, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '')}`,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: {
      [String(route.status ?? 200)]: { description: 'Done.', content: { 'application/json': { schema: { type: 'object' } } } },
      ...Object.fromEntries(Object.entries(ERRORS).map(([status, description]) => [status, errorResponse(description)])),
    },
  };
}

/** The OpenAPI document of the routes, generated from the same schemas that validate their requests. */
export function openApiDocument(routes: readonly AdminRoute[], basePath: string): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Mailroom admin API',
      version: '1',
      description: "The outbox, dead letters and run-time settings of Mailroom. Every operation needs the host's sign-in.",
    },
    servers: [{ url: basePath === '' ? '/' : basePath }],
    paths,
    components: { schemas: { Error: ERROR_SCHEMA } },
  };
}
