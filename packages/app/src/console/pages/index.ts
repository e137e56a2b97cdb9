import type { ConsolePage } from '../console-page';
import { auditPages } from './audit-page';
import { mailServerPages } from './mail-server-page';
import { notificationsPages } from './notifications-page';

/** Every page of the console and the forms they post, one module per page. */
export const CONSOLE_PAGES: readonly ConsolePage[] = [...auditPages, ...mailServerPages, ...notificationsPages];
