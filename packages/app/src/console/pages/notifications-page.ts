import { MailroomError } from '@mailroom/domain';
import { ConfigError, type ConfigIssue } from '../../config';
import type { SettingsPage } from '../../settings/settings-view';
import { formOf, type ConsoleContext, type ConsolePage } from '../console-page';
import { html } from '../html';
import { consolePage, csrfField } from '../layout';
import { fieldName, renderField, shownValue, type FieldSpec } from '../setting-field';
import { formProblems, placeIssues, readSettingsForm, viewOf } from '../setting-form';

const GROUPS: readonly { readonly title: string; readonly fields: readonly FieldSpec[] }[] = [
  {
    title: 'Links and subjects',
    fields: [
      {
        path: 'links.baseUrl',
        label: 'Link URL',
        input: 'url',
        help: 'The address users reach the application at (behind the load balancer); every link in a mail starts with it.',
      },
      { path: 'subjectPrefix', label: 'Subject prefix', input: 'text', help: 'Put before every subject, e.g. "[Identity Portal]".' },
    ],
  },
  {
    title: 'Digests',
    fields: [
      {
        path: 'digest.intervalMinutes',
        label: 'Digest interval (minutes)',
        input: 'number',
        help: 'How often a digest goes out to each recipient.',
      },
      {
        path: 'digest.maxItems',
        label: 'Items per digest',
        input: 'number',
        help: 'At most this many; the digest says how many more there are.',
      },
    ],
  },
  {
    title: 'Retries and sending rate',
    fields: [
      {
        path: 'retry.initialDelaySeconds',
        label: 'First retry after (seconds)',
        input: 'number',
        help: 'Doubles after each failed attempt…',
      },
      { path: 'retry.maxDelaySeconds', label: 'Longest wait (seconds)', input: 'number', help: '…up to this.' },
      {
        path: 'retry.maxAttempts',
        label: 'Attempts',
        input: 'number',
        help: 'Then the mail becomes a dead letter, retryable from the outbox.',
      },
      {
        path: 'smtp.rateLimitPerMinute',
        label: 'Mails a minute',
        input: 'number',
        help: 'Across all nodes; empty: no limit (Exchange Online allows 30 a minute per mailbox).',
      },
    ],
  },
];

const FIELDS = GROUPS.flatMap((g) => g.fields);

/** Notifications: links, subject prefix, digests, retries and sending rate, each with its source or lock and a reset. */
export const notificationsPages: readonly ConsolePage[] = [
  {
    method: 'GET',
    path: '/notifications',
    async handle(ctx) {
      const page = ctx.backend.settings.view();
      return show(ctx, page, Object.fromEntries(FIELDS.map((f) => [fieldName(f), shownValue(f, viewOf(page, f.path))])));
    },
  },
  {
    method: 'POST',
    path: '/notifications',
    async handle(ctx) {
      const form = await formOf(ctx);
      const page = ctx.backend.settings.view();
      const typed = Object.fromEntries(FIELDS.map((f) => [fieldName(f), (form[fieldName(f)] ?? '').trim()]));
      const reset = FIELDS.find((f) => f.path === form.reset);
      const { update, issues } = reset ? { update: { unset: [reset.path] }, issues: [] } : readSettingsForm(FIELDS, form, page);
      if (issues.length > 0) return show(ctx, page, typed, issues);
      try {
        await ctx.backend.settings.update(update, ctx.identity.id);
        return { redirect: `${ctx.root}/notifications?notice=${reset ? 'reset' : 'saved'}` };
      } catch (error) {
        if (error instanceof ConfigError) return show(ctx, page, typed, error.issues);
        if (error instanceof MailroomError) return show(ctx, page, typed, [], error.message);
        throw error;
      }
    },
  },
];

function show(
  ctx: ConsoleContext,
  page: SettingsPage,
  values: Record<string, string>,
  issues: readonly ConfigIssue[] = [],
  problem?: string,
) {
  const { byPath, elsewhere } = placeIssues(issues, FIELDS);
  const field = (spec: FieldSpec) => {
    const view = viewOf(page, spec.path);
    const resettable = view?.source === 'stored' && !view.locked;
    return html`${renderField(spec, { view, value: values[fieldName(spec)] ?? '', error: byPath.get(spec.path) })}
    ${
      resettable
        ? html`<p class="reset">
            <button
              type="submit"
              form="reset-setting"
              class="secondary"
              name="reset"
              value="${spec.path}"
              aria-label="Reset ${spec.label} to the default"
            >
              Reset to default
            </button>
          </p>`
        : ''
    }`;
  };
  const body = html`${formProblems(issues, elsewhere, problem, 'Not saved: each problem is said next to its field.')}
    <form method="post" action="${ctx.root}/notifications" id="notifications" novalidate>
      ${csrfField(ctx)}
      ${GROUPS.map(
        (group) =>
          html`<section class="card">
            <h2>${group.title}</h2>
            ${group.fields.map(field)}
          </section>`,
      )}
      <div class="actions"><button type="submit" name="action" value="save">Save</button></div>
    </form>
    <!-- The reset buttons belong to this form (form="reset-setting"), so Enter in a field saves instead of resetting. -->
    <form method="post" action="${ctx.root}/notifications" id="reset-setting">${csrfField(ctx)}</form>`;
  return { html: consolePage(ctx, { title: 'Notifications', nav: '/notifications', body }), status: issues.length || problem ? 422 : 200 };
}
