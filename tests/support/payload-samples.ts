import type { KnownPayloads } from '@mailroom/domain';

/** A full, valid payload for every built-in kind. */
export const fullPayloads: KnownPayloads = {
  'user-invite': { inviterName: 'Grace Hopper', accountName: 'ada.lovelace', acceptLinkPath: '/invitations/abc123/accept', expiresAt: '2026-01-12T09:00:00Z' },
  'query-results-changed': { queryId: '42', queryName: 'Orphaned accounts', rowsAdded: 3, rowsRemoved: 1, totalRows: 120, linkPath: '/queries/42' },
  'import-failed': {
    connectorId: 'hr-feed',
    connectorName: 'HR feed',
    startedAt: '2026-01-05T02:00:00Z',
    failedAt: '2026-01-05T02:03:10Z',
    errorSummary: 'Column "employee_id" missing in row 1832',
    linkPath: '/connectors/hr-feed/runs/991',
  },
  'access-review-requested': { reviewId: 'r-7', reviewName: 'Q1 finance entitlements', dueDate: '2026-01-31', itemCount: 48, linkPath: '/reviews/r-7' },
  'change-request': {
    requestId: '1234',
    title: 'Grant SAP_FI_ADMIN to ada.lovelace',
    requester: 'Grace Hopper',
    changes: [{ field: 'role', from: 'SAP_FI_USER', to: 'SAP_FI_ADMIN' }],
    ticketReference: 'CR-1234',
    linkPath: '/requests/1234',
  },
  'workflow-task-assigned': {
    taskId: 't-9',
    taskName: 'Approve new hire',
    workflowName: 'Joiner',
    assigneeName: 'Ada Lovelace',
    dueDate: '2026-01-07T17:00:00Z',
    linkPath: '/tasks/t-9',
  },
};
