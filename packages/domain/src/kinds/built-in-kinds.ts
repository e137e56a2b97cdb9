import { field, payloadSchema, type FieldCheck } from './payload-schema';
import type { KindDefinition } from './kind-registry';
import type { ChangeRequestPayload } from './payloads';

const { optional, text, reference, count, dateTime, linkPath, list } = field;
// Built-in payloads are typed: a field they do not name is a mistake (a misspelt `linkpath`), not data.
const strict = { unknownFields: 'refuse' } as const;
const object = (shape: Record<string, FieldCheck>) => field.object(shape, strict);
const schema = (shape: Record<string, FieldCheck>) => payloadSchema(shape, strict);
const id = () => text({ max: 200 });
const name = () => text({ max: 500 });

/** The reference a ticketing system files a change request by. */
export function ticketReferenceOf(payload: Pick<ChangeRequestPayload, 'requestId' | 'ticketReference'>): string {
  return payload.ticketReference ?? `CR-${payload.requestId}`;
}

/**
 * The six built-in kinds with their payload validation (change requests also thread by ticket reference).
 * Mandatory: the invite (nobody can have opted out of a product they are not in yet), and the two that ask the
 * recipient to act on something others wait for — an access review (certification campaigns have deadlines and
 * auditors ask for proof that reviewers were told) and a workflow task (an unseen approval stalls the workflow).
 * A recipient may still take those in the digest. The other kinds inform, and can be turned off.
 */
export const BUILT_IN_KINDS: readonly KindDefinition[] = [
  {
    kind: 'user-invite',
    mandatory: true,
    validate: schema({ inviterName: name(), accountName: name(), acceptLinkPath: linkPath(), expiresAt: dateTime() }),
  },
  {
    kind: 'query-results-changed',
    validate: schema({
      queryId: id(),
      queryName: name(),
      rowsAdded: count(),
      rowsRemoved: count(),
      totalRows: count(),
      linkPath: linkPath(),
    }),
  },
  {
    kind: 'import-failed',
    validate: schema({
      connectorId: id(),
      connectorName: name(),
      startedAt: dateTime(),
      failedAt: dateTime(),
      errorSummary: text({ max: 10_000 }),
      linkPath: linkPath(),
    }),
  },
  {
    kind: 'access-review-requested',
    mandatory: true,
    validate: schema({ reviewId: id(), reviewName: name(), dueDate: dateTime(), itemCount: count(), linkPath: linkPath() }),
  },
  {
    kind: 'change-request',
    validate: schema({
      requestId: reference({ max: 200 }),
      title: name(),
      requester: name(),
      changes: list(object({ field: text({ max: 500 }), from: optional(text({ max: 5000 })), to: optional(text({ max: 5000 })) }), {
        min: 1,
      }),
      ticketReference: optional(reference({ max: 100 })),
      linkPath: optional(linkPath()),
    }),
    threadKey: (payload) => `change-request.${ticketReferenceOf(payload as unknown as ChangeRequestPayload)}`,
    ticketing: true,
  },
  {
    kind: 'workflow-task-assigned',
    mandatory: true,
    validate: schema({
      taskId: id(),
      taskName: name(),
      workflowName: name(),
      assigneeName: name(),
      dueDate: optional(dateTime()),
      linkPath: linkPath(),
    }),
  },
];
