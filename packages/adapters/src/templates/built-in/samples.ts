import type { KnownPayloads } from '@mailroom/domain';

/**
 * A full and a minimal payload per built-in kind. At start-up every mail and item template of these kinds
 * renders with both, so a template (above all an override) that breaks at run time fails before any mail.
 */
export const BUILT_IN_SAMPLES: { readonly [K in keyof KnownPayloads]: readonly KnownPayloads[K][] } = {
  'user-invite': [{ inviterName: 'Grace Hopper', accountName: 'Acme', acceptLinkPath: '/invites/abc', expiresAt: '2026-12-01T09:00:00Z' }],
  'query-results-changed': [
    { queryId: '42', queryName: 'Leavers with access', rowsAdded: 3, rowsRemoved: 1, totalRows: 120, linkPath: '/queries/42' },
    { queryId: '42', queryName: 'Leavers with access', rowsAdded: 0, rowsRemoved: 0, totalRows: 0, linkPath: '/queries/42' },
  ],
  'import-failed': [
    {
      connectorId: 'hr-feed',
      connectorName: 'HR feed',
      startedAt: '2026-12-01T08:00:00Z',
      failedAt: '2026-12-01T08:05:00Z',
      errorSummary: 'Row 17: unknown department\nRow 18: missing e-mail',
      linkPath: '/connectors/hr-feed/runs/7',
    },
  ],
  'access-review-requested': [{ reviewId: 'r1', reviewName: 'Finance Q4', dueDate: '2026-12-15', itemCount: 12, linkPath: '/reviews/r1' }],
  'change-request': [
    {
      requestId: '1234',
      title: 'Move Ada to Marketing',
      requester: 'Grace Hopper',
      changes: [
        { field: 'Department', from: 'Sales', to: 'Marketing' },
        { field: 'Cost centre', to: '4711' },
      ],
      ticketReference: 'CR-1234',
      linkPath: '/change-requests/1234',
    },
    { requestId: '1234', title: 'Move Ada', requester: 'Grace Hopper', changes: [{ field: 'Department' }] },
  ],
  'workflow-task-assigned': [
    {
      taskId: 't1',
      taskName: 'Approve access',
      workflowName: 'Joiner',
      assigneeName: 'Ada',
      dueDate: '2026-12-02T17:00:00Z',
      linkPath: '/tasks/t1',
    },
    { taskId: 't1', taskName: 'Approve access', workflowName: 'Joiner', assigneeName: 'Ada', linkPath: '/tasks/t1' },
  ],
};
