import { MailroomError, MailSendError, ValidationError } from '@mailroom/domain';
import { ConfigError } from '../../config';
import type { SettingsUpdate } from '../../settings/settings-view';
import { formOf, type ConsoleContext, type ConsolePage } from '../console-page';
import { consolePage } from '../layout';
import type { TestOutcome } from './check-report-view';
import { initialValues, mailServerChange, postedValues, TEST_TO_FIELD } from './mail-server-change';
import { checkStream } from './mail-server-check-stream';
import { mailServerBody, type MailServerState } from './mail-server-form';

/**
 * Mail server: host, port, TLS, From, authentication (None / Direct / OAuth2, only the chosen type's fields), the
 * Exchange Online preset and checklist; Save, Check (the doctor on the form's settings, before saving) and Send test mail.
 */
export const mailServerPages: readonly ConsolePage[] = [
  {
    method: 'GET',
    path: '/mail-server',
    async handle(ctx) {
      const preset = ctx.hono.req.query('preset') === 'exchange';
      const page = ctx.backend.settings.view();
      return show(ctx, { page, values: initialValues(page, { preset, testTo: ctx.identity.email ?? '' }), preset });
    },
  },
  {
    method: 'POST',
    path: '/mail-server',
    async handle(ctx) {
      const form = await formOf(ctx);
      const page = ctx.backend.settings.view();
      const values = postedValues(form, page);
      const { update, issues } = mailServerChange(form, page);
      if (issues.length > 0) return show(ctx, { page, values, issues }, 422);
      try {
        if (form.action === 'check') return show(ctx, { page, values, report: await ctx.backend.checkSettings(update) });
        if (form.action === 'send-test') {
          const to = (form[TEST_TO_FIELD] ?? '').trim() || ctx.identity.email;
          if (!to) return show(ctx, { page, values, testToError: 'Type the address to send the test mail to.' }, 422);
          return show(ctx, { page, values, test: await sendTest(ctx, to, update) });
        }
        await ctx.backend.settings.update(update, ctx.identity.id);
        return { redirect: `${ctx.root}/mail-server?notice=saved` };
      } catch (error) {
        if (error instanceof ConfigError) return show(ctx, { page, values, issues: error.issues }, 422);
        // A secret without a key to seal it, a stale version: said above the form, the admin's text kept.
        if (error instanceof MailroomError && !(error instanceof MailSendError))
          return show(ctx, { page, values, problem: error.message }, 422);
        throw error;
      }
    },
  },
  {
    method: 'POST',
    path: '/mail-server/check',
    async handle(ctx) {
      const form = await formOf(ctx);
      const page = ctx.backend.settings.view();
      return { response: checkStream(ctx.backend, mailServerChange(form, page), postedValues(form, page)) };
    },
  },
];

function show(ctx: ConsoleContext, state: MailServerState, status = 200) {
  return {
    html: consolePage(ctx, { title: 'Mail server', nav: '/mail-server', body: mailServerBody(ctx, state), scripts: ['mail-server'] }),
    status,
  };
}

/** The server's answer to a test mail, or why it refused it (its message, reply and fix); other errors go on up. */
async function sendTest(ctx: ConsoleContext, to: string, update: SettingsUpdate): Promise<TestOutcome> {
  try {
    return { sent: await ctx.backend.sendTest(to, { settings: update }), to };
  } catch (error) {
    if (error instanceof MailSendError) {
      const { message, hint, response, responseCode, enhancedCode } = error;
      const code = [responseCode, enhancedCode].filter((c) => c !== undefined).join(' ') || error.code;
      return { failed: { message, code, ...(hint ? { hint } : {}), ...(response ? { reply: response } : {}) } };
    }
    if (error instanceof ValidationError) return { failed: { message: error.message, code: error.code } };
    throw error;
  }
}
