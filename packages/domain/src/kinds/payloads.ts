/** ISO 8601 date-time, e.g. `2026-12-01T09:00:00Z`. Payloads are JSON; dates travel as strings. */
export type IsoDateTime = string;

/** A path in the host application (`/queries/42`); templates make it absolute on `links.baseUrl`. */
export type LinkPath = string;

/** `user-invite`: someone invited the recipient to an account; the mail links to accepting it. */
export interface UserInvitePayload {
  inviterName: string;
  accountName: string;
  acceptLinkPath: LinkPath;
  expiresAt: IsoDateTime;
}

/** `query-results-changed`: a saved query the recipient follows has new or fewer rows. */
export interface QueryResultsChangedPayload {
  queryId: string;
  queryName: string;
  rowsAdded: number;
  rowsRemoved: number;
  totalRows: number;
  linkPath: LinkPath;
}

/** `import-failed`: a connector's import run failed, with a summary of why. */
export interface ImportFailedPayload {
  connectorId: string;
  connectorName: string;
  startedAt: IsoDateTime;
  failedAt: IsoDateTime;
  errorSummary: string;
  linkPath: LinkPath;
}

/** `access-review-requested`: the recipient has an access review to complete by a date. */
export interface AccessReviewRequestedPayload {
  reviewId: string;
  reviewName: string;
  dueDate: IsoDateTime;
  itemCount: number;
  linkPath: LinkPath;
}

/** One field a change request changes, from one value to another. */
export interface ChangeRequestChange {
  field: string;
  from?: string;
  to?: string;
}

/** Sent to an IT ticketing mailbox: every mail about one request shares a thread and a subject reference. */
export interface ChangeRequestPayload {
  requestId: string;
  title: string;
  requester: string;
  changes: ChangeRequestChange[];
  /** The reference the ticketing system files by, e.g. `CR-1234`; defaults to `CR-<requestId>`. */
  ticketReference?: string;
  linkPath?: LinkPath;
}

/** `workflow-task-assigned`: a workflow task was assigned to the recipient. */
export interface WorkflowTaskAssignedPayload {
  taskId: string;
  taskName: string;
  workflowName: string;
  assigneeName: string;
  dueDate?: IsoDateTime;
  linkPath: LinkPath;
}

/** The built-in kinds and their payloads. */
export interface KnownPayloads {
  'user-invite': UserInvitePayload;
  'query-results-changed': QueryResultsChangedPayload;
  'import-failed': ImportFailedPayload;
  'access-review-requested': AccessReviewRequestedPayload;
  'change-request': ChangeRequestPayload;
  'workflow-task-assigned': WorkflowTaskAssignedPayload;
}

/** The name of a built-in kind. */
export type KnownKind = keyof KnownPayloads;

/** The payload a kind takes: a built-in kind's own type, or any JSON object for a host's kind. */
export type PayloadOf<K extends string> = K extends KnownKind ? KnownPayloads[K] : Record<string, unknown>;

/** The names of the built-in kinds. */
export const KNOWN_KINDS: readonly KnownKind[] = [
  'user-invite',
  'query-results-changed',
  'import-failed',
  'access-review-requested',
  'change-request',
  'workflow-task-assigned',
];

/** The kind of the mail that carries a digest; reserved, a host cannot define it. */
export const DIGEST_KIND = 'digest';
