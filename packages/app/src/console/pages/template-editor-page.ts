import type { TemplateDetail } from '../../settings/templates-admin';
import { formOf, type ConsoleAnswer, type ConsoleContext, type ConsolePage } from '../console-page';
import { html, raw, type SafeHtml } from '../html';
import { consolePage, csrfField } from '../layout';
import { kindParam, kindTemplates, layerText, PART_GROUPS, PART_LABELS, posted, templateError, templateNamedIn } from './template-parts';

/** What the editor shows besides the templates: the texts posted back after a refusal, the refusal, a note. */
interface EditorState {
  readonly values?: Readonly<Record<string, string>>;
  readonly error?: string;
  readonly note?: string;
}

/**
 * One kind's templates (or the digest's): each part's text in use in a labelled textarea, the built-in text beside it,
 * saved only when every part compiles and renders with the kinds' samples (422 with the message by the part
 * otherwise), reset to the built-in text, and a preview in sandboxed iframes that the page script refreshes as one
 * types (the buttons do the same without script).
 */
export const templateEditorPages: readonly ConsolePage[] = [
  {
    method: 'GET',
    path: '/templates/:kind',
    async handle(ctx) {
      const kind = kindParam(ctx);
      const templates = kindTemplates(ctx, kind);
      if (templates.length === 0) return noSuchKind(ctx, kind);
      return { html: editorPage(ctx, kind, templates, {}) };
    },
  },
  {
    method: 'POST',
    path: '/templates/:kind',
    async handle(ctx) {
      const kind = kindParam(ctx);
      const templates = kindTemplates(ctx, kind);
      if (templates.length === 0) return noSuchKind(ctx, kind);
      const form = await formOf(ctx);
      const values = Object.fromEntries(templates.map((t) => [t.name, posted(form[t.name]) ?? t.source]));
      const changed: Record<string, string> = {};
      for (const group of PART_GROUPS) {
        const parts = templates.filter((t) => group.includes(t.part));
        if (parts.some((t) => values[t.name] !== t.source)) for (const t of parts) changed[t.name] = values[t.name]!;
      }
      if (Object.keys(changed).length === 0)
        return { html: editorPage(ctx, kind, templates, { note: 'Nothing changed: the texts are the ones in use.' }) };
      try {
        await ctx.backend.templates.save(changed, ctx.identity.id);
      } catch (error) {
        const refused = templateError(error);
        if (!refused) throw error;
        return { html: editorPage(ctx, kind, templates, { values, error: refused.message }), status: 422 };
      }
      return { redirect: `${ctx.root}/templates/${encodeURIComponent(kind)}?notice=template-saved` };
    },
  },
  {
    method: 'POST',
    path: '/templates/:kind/reset',
    async handle(ctx) {
      const kind = kindParam(ctx);
      const templates = kindTemplates(ctx, kind);
      if (templates.length === 0) return noSuchKind(ctx, kind);
      await ctx.backend.templates.reset(
        templates.map((t) => t.name),
        ctx.identity.id,
      );
      return { redirect: `${ctx.root}/templates/${encodeURIComponent(kind)}?notice=template-reset` };
    },
  },
];

function noSuchKind(ctx: ConsoleContext, kind: string): ConsoleAnswer {
  const body = html`<p class="notice bad" role="alert">
    There are no templates for the kind "${kind}". <a href="${ctx.root}/templates">See every kind</a>.
  </p>`;
  return { html: consolePage(ctx, { title: 'No such kind', nav: '/templates', body }), status: 404 };
}

function editorPage(ctx: ConsoleContext, kind: string, templates: readonly TemplateDetail[], state: EditorState): SafeHtml {
  const base = `${ctx.root}/templates/${encodeURIComponent(kind)}`;
  const named = state.error ? templateNamedIn(state.error) : undefined;
  const byPart = named !== undefined && templates.some((t) => t.name === named);
  const body = html`${
      state.error
        ? html`<p class="notice bad" role="alert">
            Not saved: ${byPart ? 'a template does not render with the sample payloads (see the message by it).' : state.error}
          </p>`
        : ''
    }
    ${state.note ? html`<p class="notice info" role="status">${state.note}</p>` : ''}
    <p class="muted">
      <a href="${ctx.root}/templates">All templates</a> · Templates are <a href="https://eta.js.org/">eta</a>:
      <code>&lt;%= it.payload.field %&gt;</code> prints a value (escaped in HTML parts). Saving checks every part with the sample payloads
      of every kind first.
    </p>
    <form method="post" action="${base}" id="template-editor" data-preview="${base}/preview">
      ${csrfField(ctx)}
      ${templates.map((t) => partField(t, state.values?.[t.name] ?? t.source, t.name === named ? state.error : undefined))}
      <div class="actions">
        <button type="submit">Save</button>
        <button type="submit" class="secondary" formaction="${base}/preview/html" formtarget="preview-html" data-preview-part="html">
          Preview HTML
        </button>
        <button type="submit" class="secondary" formaction="${base}/preview/text" formtarget="preview-text" data-preview-part="text">
          Preview subject and text
        </button>
      </div>
    </form>
    ${
      templates.some((t) => t.layer === 'stored')
        ? html`<form method="post" action="${base}/reset" data-confirm="Reset every part of ${kind} to the built-in text?">
            ${csrfField(ctx)}
            <div class="actions"><button type="submit" class="secondary">Reset to built-in</button></div>
          </form>`
        : ''
    }
    <h2>Preview with the sample payload</h2>
    <div class="grid-2 previews">
      <iframe class="preview" name="preview-html" title="HTML preview" sandbox="" src="${base}/preview/html"></iframe>
      <iframe class="preview" name="preview-text" title="Subject and text preview" sandbox="" src="${base}/preview/text"></iframe>
    </div>`;
  return consolePage(ctx, { title: `Templates: ${kind}`, nav: '/templates', body, scripts: ['template-editor'] });
}

function partField(t: TemplateDetail, value: string, error: string | undefined): SafeHtml {
  const id = `part-${t.name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const rows = t.part === 'subject' ? 2 : Math.min(24, Math.max(6, value.split('\n').length + 1));
  const describedBy = [`${id}-source`, error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<section class="card template-part">
    <label for="${id}"><strong>${PART_LABELS[t.part] ?? t.part}</strong> <code>${t.name}</code></label>
    <p class="muted" id="${id}-source">${layerText(t)}</p>
    ${error ? html`<p class="error" id="${id}-error" role="alert">${error}</p>` : ''}
    ${textarea(
      html`id="${id}" name="${t.name}" rows="${rows}" spellcheck="false" aria-describedby="${describedBy}"
      ${error ? raw('aria-invalid="true"') : ''}`,
      value,
    )}
    ${
      t.builtIn === undefined
        ? html`<p class="muted">No built-in text: this part comes from the host.</p>`
        : t.builtIn === value
          ? html`<p class="muted">This is the built-in text.</p>`
          : html`<details>
              <summary>Built-in text</summary>
              <pre>${t.builtIn}</pre>
            </details>`
    }
  </section>`;
}

/** The HTML parser drops one line break right after `<textarea>`: one goes there, so a text starting with a blank line keeps it. */
function textarea(attributes: SafeHtml, value: string): SafeHtml {
  // prettier-ignore
  return html`<textarea ${attributes}>${raw('\n')}${value}</textarea>`;
}
