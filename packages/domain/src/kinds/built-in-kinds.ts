import { field, payloadSchema } from './payload-schema';
import type { KindDefinition } from './kind-registry';
import type { ChangeRequestPayload } from './payloads';

const { optional, text, count, dateTime, linkPath, list, object } = field;
const id = () => text({ max: 200 });
const name = () => text({ max: 500 });

/** The reference a ticketing system files a change request by. */
export function ticketReferenceOf(payload: Pick<ChangeRequestPayload, 'requestId' | 'ticketReference'>): string {
  return payload.ticketReference ?? `CR-${payload.requestId}`;
}

export const BUILT_IN_KINDS: readonly KindDefinition[] = [
  {
    kind: 'user-invite',
    validate: payloadSchema({ inviterName: name(), accountName: name(), acceptLinkPath: linkPath(), expiresAt: dateTime() }),
  },
  {
    kind: 'query-results-changed',
    validate: payloadSchema({
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
    validate: payloadSchema({
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
    validate: payloadSchema({ reviewId: id(), reviewName: name(), dueDate: dateTime(), itemCount: count(), linkPath: linkPath() }),
  },
  {
    kind: 'change-request',
    validate: payloadSchema({
      requestId: id(),
      title: name(),
      requester: name(),
      changes: list(
        object({ field: text({ max: 500 }), from: optional(text({ max: 5000 })), to: optional(text({ max: 5000 })) }),
        { min: 1 },
      ),
      ticketReference: optional(text({ max: 100 })),
      linkPath: optional(linkPath()),
    }),
    threadKey: (payload) => `change-request.${ticketReferenceOf(payload as unknown as ChangeRequestPayload)}`,
  },
  {
    kind: 'workflow-task-assigned',
    validate: payloadSchema({
      taskId: id(),
      taskName: name(),
      workflowName: name(),
      assigneeName: name(),
      dueDate: optional(dateTime()),
      linkPath: linkPath(),
    }),
  },
];
