import { ACCESS_REVIEW_REQUESTED_TEMPLATES } from './access-review-requested';
import { CHANGE_REQUEST_TEMPLATES } from './change-request';
import { DIGEST_TEMPLATES } from './digest';
import { IMPORT_FAILED_TEMPLATES } from './import-failed';
import { QUERY_RESULTS_CHANGED_TEMPLATES } from './query-results-changed';
import { SHARED_BUILT_IN_TEMPLATES } from './shared';
import { USER_INVITE_TEMPLATES } from './user-invite';
import { WORKFLOW_TASK_ASSIGNED_TEMPLATES } from './workflow-task-assigned';

/**
 * Every built-in template by name. They are TypeScript string modules rather than `.eta` files so that
 * `tsc -b` puts them in `dist` with the code: nothing to copy, nothing to find at run time.
 */
export const BUILT_IN_TEMPLATES: Readonly<Record<string, string>> = {
  ...SHARED_BUILT_IN_TEMPLATES,
  ...USER_INVITE_TEMPLATES,
  ...QUERY_RESULTS_CHANGED_TEMPLATES,
  ...IMPORT_FAILED_TEMPLATES,
  ...ACCESS_REVIEW_REQUESTED_TEMPLATES,
  ...CHANGE_REQUEST_TEMPLATES,
  ...WORKFLOW_TASK_ASSIGNED_TEMPLATES,
  ...DIGEST_TEMPLATES,
};
