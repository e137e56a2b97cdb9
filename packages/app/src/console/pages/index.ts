import type { ConsolePage } from '../console-page';
import { auditPages } from './audit-page';
import { caughtPages } from './caught-page';
import { mailServerPages } from './mail-server-page';
import { notificationsPages } from './notifications-page';
import { outboxMailPages } from './outbox-mail-page';
import { outboxPages } from './outbox-page';
import { outboxRetryAllPages } from './outbox-retry-all-page';
import { templateEditorPages } from './template-editor-page';
import { templatePreviewPages } from './template-preview-page';
import { templatesPages } from './templates-page';

/** Every page of the console and the forms they post, one module per page. */
export const CONSOLE_PAGES: readonly ConsolePage[] = [
  ...auditPages,
  ...mailServerPages,
  ...notificationsPages,
  ...templatesPages,
  ...templatePreviewPages,
  ...templateEditorPages,
  ...outboxRetryAllPages,
  ...outboxPages,
  ...outboxMailPages,
  ...caughtPages,
];
