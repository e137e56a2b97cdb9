import { KNOWN_KINDS } from '@mailroom/domain';
import type {
  AccessReviewRequestedPayload,
  ChangeRequestPayload,
  ImportFailedPayload,
  KnownKind,
  KnownPayloads,
  QueryResultsChangedPayload,
  UserInvitePayload,
  WorkflowTaskAssignedPayload,
} from '@mailroom/domain';

/** Test-data builders ("mothers") for the built-in kinds' payloads: sensible defaults, override what a test is about. */

export function aUserInvite(overrides: Partial<UserInvitePayload> = {}): UserInvitePayload {
  return {
    inviterName: 'Grace Hopper',
    accountName: 'Acme Corp',
    acceptLinkPath: '/invites/abc123',
    expiresAt: '2026-12-08T09:00:00Z',
    ...overrides,
  };
}

export function aQueryResultsChanged(overrides: Partial<QueryResultsChangedPayload> = {}): QueryResultsChangedPayload {
  return {
    queryId: '42',
    queryName: 'Leavers with access',
    rowsAdded: 3,
    rowsRemoved: 1,
    totalRows: 120,
    linkPath: '/queries/42',
    ...overrides,
  };
}

export function anImportFailed(overrides: Partial<ImportFailedPayload> = {}): ImportFailedPayload {
  return {
    connectorId: 'hr-feed',
    connectorName: 'HR feed',
    startedAt: '2026-12-01T08:00:00Z',
    failedAt: '2026-12-01T08:05:00Z',
    errorSummary: 'Row 17: unknown department "Sales EMEA"',
    linkPath: '/connectors/hr-feed/runs/7',
    ...overrides,
  };
}

export function anAccessReviewRequested(overrides: Partial<AccessReviewRequestedPayload> = {}): AccessReviewRequestedPayload {
  return { reviewId: 'r-9', reviewName: 'Finance Q4', dueDate: '2026-12-15', itemCount: 12, linkPath: '/reviews/r-9', ...overrides };
}

export function aChangeRequest(overrides: Partial<ChangeRequestPayload> = {}): ChangeRequestPayload {
  return {
    requestId: '1234',
    title: 'Move Ada Lovelace to Marketing',
    requester: 'Grace Hopper',
    changes: [
      { field: 'Department', from: 'Sales', to: 'Marketing' },
      { field: 'Cost centre', to: '4711' },
    ],
    ticketReference: 'CR-1234',
    linkPath: '/change-requests/1234',
    ...overrides,
  };
}

export function aWorkflowTaskAssigned(overrides: Partial<WorkflowTaskAssignedPayload> = {}): WorkflowTaskAssignedPayload {
  return {
    taskId: 't-7',
    taskName: 'Approve access to SAP',
    workflowName: 'Joiner',
    assigneeName: 'Ada Lovelace',
    dueDate: '2026-12-02T17:00:00Z',
    linkPath: '/tasks/t-7',
    ...overrides,
  };
}

/** A full payload per built-in kind (every optional field set). */
export const FULL_PAYLOADS: { readonly [K in KnownKind]: () => KnownPayloads[K] } = {
  'user-invite': () => aUserInvite(),
  'query-results-changed': () => aQueryResultsChanged(),
  'import-failed': () => anImportFailed(),
  'access-review-requested': () => anAccessReviewRequested(),
  'change-request': () => aChangeRequest(),
  'workflow-task-assigned': () => aWorkflowTaskAssigned(),
};

/** A minimal payload per built-in kind: optional fields absent, counts at zero, lists as short as allowed. */
export const MINIMAL_PAYLOADS: { readonly [K in KnownKind]: () => KnownPayloads[K] } = {
  'user-invite': () => aUserInvite(),
  'query-results-changed': () => aQueryResultsChanged({ rowsAdded: 0, rowsRemoved: 0, totalRows: 0 }),
  'import-failed': () => anImportFailed({ errorSummary: 'x' }),
  'access-review-requested': () => anAccessReviewRequested({ itemCount: 0 }),
  'change-request': () => ({ requestId: '77', title: 'Rename group', requester: 'Grace Hopper', changes: [{ field: 'Name' }] }),
  'workflow-task-assigned': () => {
    const { dueDate: _, ...rest } = aWorkflowTaskAssigned();
    return rest;
  },
};

/** A change request whose every field is valid but whose JSON is at least `bytes` long: many long changes. */
export function aLargeChangeRequest(bytes: number): ChangeRequestPayload {
  const perChange = 5000;
  const changes = Array.from({ length: Math.ceil(bytes / perChange) + 1 }, (_, i) => ({ field: `Field ${i}`, to: 'x'.repeat(perChange) }));
  return aChangeRequest({ changes });
}

/** `{ next: { next: … } }`, `depth` objects deep (built without recursion, so any depth is cheap to make). */
export function nestedValue(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < depth; i++) value = { next: value };
  return value;
}

/** A full, valid payload for every built-in kind, as one object. */
export const fullPayloads = Object.fromEntries(KNOWN_KINDS.map((k) => [k, FULL_PAYLOADS[k]()])) as unknown as KnownPayloads;
