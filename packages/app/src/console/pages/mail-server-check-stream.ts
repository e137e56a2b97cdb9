import { ConfigError } from '../../config';
import type { AdminBackend } from '../../admin/admin-backend';
import type { FormChange } from '../setting-form';
import { exchangeChecklist } from './exchange-checklist';
import type { MailServerValues } from './mail-server-change';

/**
 * The check of the form's settings as NDJSON, one line as each step completes — `{"step": …}` — then
 * `{"done": {"ok", "smtp", "checklist"}}`; or `{"invalid": [issues]}` when the settings are not valid, or
 * `{"error": "…"}` when the check could not run (the reason goes to the log). The page's script reads it with fetch.
 */
export function checkStream(backend: AdminBackend, change: FormChange, values: MailServerValues): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (line: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      try {
        if (change.issues.length > 0) throw new ConfigError(change.issues);
        const report = await backend.checkSettings(change.update, { onStep: (step) => send({ step }) });
        const checklist = exchangeChecklist(report, { from: values['from.address'] ?? '', mailbox: values['oauth2.username'] ?? '' });
        send({ done: { ok: report.ok, smtp: report.smtp, checklist } });
      } catch (error) {
        if (error instanceof ConfigError) send({ invalid: error.issues });
        else {
          backend.logger.error('admin console: the check could not run', { err: error, where: 'console POST /mail-server/check' });
          send({ error: "The check could not run; the reason is in Mailroom's log." });
        }
      }
      controller.close();
    },
  });
  return new Response(body, {
    headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  });
}
