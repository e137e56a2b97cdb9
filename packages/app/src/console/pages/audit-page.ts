import type { SettingChangeRecord } from '@mailroom/domain';
import type { ConsolePage } from '../console-page';
import { html } from '../html';
import { consolePage } from '../layout';

const PAGE_SIZE = 50;

/** Audit: who changed which settings and templates when, newest first, old → new (secrets only "changed"). */
export const auditPages: readonly ConsolePage[] = [
  {
    method: 'GET',
    path: '/audit',
    async handle(ctx) {
      const before = Number(ctx.hono.req.query('before'));
      const entries = await ctx.backend.settings.history(PAGE_SIZE, Number.isInteger(before) && before > 0 ? before : undefined);
      const last = entries[entries.length - 1];
      const body = html`<section class="card">
        ${
          entries.length === 0
            ? html`<p class="muted">
                No change was saved yet: the settings come from the configuration file, the host and the environment.
              </p>`
            : html`<table>
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">When</th>
                    <th scope="col">By</th>
                    <th scope="col">Changes</th>
                  </tr>
                </thead>
                <tbody>
                  ${entries.map(
                    (e) =>
                      html`<tr>
                        <td>${e.version}</td>
                        <td>${e.at.toISOString().replace('T', ' ').slice(0, 19)} UTC</td>
                        <td>${e.by}</td>
                        <td>
                          <ul>
                            ${e.changes.map((c) => html`<li>${describe(c)}</li>`)}
                          </ul>
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
        }
        ${entries.length === PAGE_SIZE && last ? html`<p><a href="${ctx.root}/audit?before=${last.version}">Older changes</a></p>` : ''}
      </section>`;
      return { html: consolePage(ctx, { title: 'Audit', nav: '/audit', body }) };
    },
  },
];

function describe(change: SettingChangeRecord): string {
  const name = change.path.startsWith('template:') ? `template ${change.path.slice('template:'.length)}` : change.path;
  if (change.change === 'unset') return change.secret ? `${name}: reset` : `${name}: reset (was ${shown(change.from)})`;
  if (change.secret) return `${name}: changed`;
  return `${name}: ${'from' in change ? shown(change.from) : '–'} → ${shown(change.to)}`;
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
