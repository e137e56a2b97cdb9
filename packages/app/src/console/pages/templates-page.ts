import type { TemplateInfo } from '../../settings/templates-admin';
import type { ConsoleContext, ConsolePage } from '../console-page';
import { html, type SafeHtml } from '../html';
import { consolePage } from '../layout';
import { layerText, PART_LABELS, PART_ORDER, templateError } from './template-parts';

/** Templates: every kind and the digest, where each part's text comes from, a link to its editor. */
export const templatesPages: readonly ConsolePage[] = [
  {
    method: 'GET',
    path: '/templates',
    async handle(ctx) {
      let templates: TemplateInfo[];
      try {
        templates = ctx.backend.templates.list();
      } catch (error) {
        const refused = templateError(error);
        if (!refused) throw error;
        const body = html`<p class="notice info" role="status">${refused.message}</p>`;
        return { html: consolePage(ctx, { title: 'Templates', nav: '/templates', body }) };
      }
      const kinds = [...new Set(templates.filter((t) => t.kind !== undefined).map((t) => t.kind!))].sort(
        (a, b) => Number(a === 'digest') - Number(b === 'digest') || a.localeCompare(b),
      );
      const shared = templates.filter((t) => t.kind === undefined);
      const body = html`<section class="card">
          <p class="muted">
            Each kind's mail has a subject, an HTML and a text part (and its entry in a digest). Open a kind to see the built-in text, edit
            an override, preview it with the kind's sample and reset it.
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Parts</th>
                <th scope="col">Text in use</th>
              </tr>
            </thead>
            <tbody>
              ${kinds.map((kind) => kindRow(ctx, kind, templates))}
            </tbody>
          </table>
        </section>
        ${
          shared.length > 0
            ? html`<section class="card">
                <h2>Shared templates</h2>
                <p class="muted">
                  Used by every mail (the layout, the button, a digest entry without its own). Edit them through the admin API.
                </p>
                <ul>
                  ${shared.map((t) => html`<li><code>${t.name}</code> — ${layerText(t)}</li>`)}
                </ul>
              </section>`
            : ''
        }`;
      return { html: consolePage(ctx, { title: 'Templates', nav: '/templates', body }) };
    },
  },
];

function kindRow(ctx: ConsoleContext, kind: string, templates: readonly TemplateInfo[]): SafeHtml {
  const parts = templates
    .filter((t) => t.kind === kind)
    .sort((a, b) => PART_ORDER.indexOf(a.part as never) - PART_ORDER.indexOf(b.part as never));
  const layers = [...new Set(parts.map(layerText))];
  const overridden = parts.some((t) => t.layer === 'stored');
  return html`<tr>
    <th scope="row">
      <a href="${ctx.root}/templates/${encodeURIComponent(kind)}">${kind === 'digest' ? 'digest (the digest mail)' : kind}</a>
    </th>
    <td>${parts.map((t) => PART_LABELS[t.part] ?? t.part).join(', ')}</td>
    <td>${overridden ? html`<strong>Overridden</strong> — ` : ''}${layers.join('; ')}</td>
  </tr>`;
}
