import { CONSOLE_CSS } from './console-css';
import { CONSOLE_JS } from './console-js';
import { MAIL_SERVER_JS } from './mail-server-js';
import { OUTBOX_JS } from './outbox-js';
import { TEMPLATE_EDITOR_JS } from './template-editor-js';

/** Files the console serves from the package under `<root>/assets/<name>`: CSS and scripts, nothing from elsewhere. */
export const CONSOLE_ASSETS: Readonly<Record<string, { readonly type: string; readonly body: string }>> = {
  'console.css': { type: 'text/css; charset=utf-8', body: CONSOLE_CSS },
  'console.js': { type: 'text/javascript; charset=utf-8', body: CONSOLE_JS },
  'mail-server.js': { type: 'text/javascript; charset=utf-8', body: MAIL_SERVER_JS },
  'outbox.js': { type: 'text/javascript; charset=utf-8', body: OUTBOX_JS },
  'template-editor.js': { type: 'text/javascript; charset=utf-8', body: TEMPLATE_EDITOR_JS },
};
