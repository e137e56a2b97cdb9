import type { RenderedMail } from '@mailroom/domain';
import { formOf, type ConsoleAnswer, type ConsoleContext, type ConsolePage } from '../console-page';
import { html } from '../html';
import { kindParam, kindTemplates, posted, templateError } from './template-parts';

/**
 * A kind's mail rendered with its sample payload, for the editor's iframes: `/preview/html` answers the mail's HTML,
 * `/preview/text` its subject and text, under the sandbox policy (the mail's inline styles apply, no script runs).
 * GET renders the templates in use; POST the editor's form, not saved.
 */
export const templatePreviewPages: readonly ConsolePage[] = ['GET' as const, 'POST' as const].map((method) => ({
  method,
  path: '/templates/:kind/preview/:part',
  async handle(ctx: ConsoleContext): Promise<ConsoleAnswer> {
    const kind = kindParam(ctx);
    const part = ctx.hono.req.param('part') === 'text' ? 'text' : 'html';
    const templates = kindTemplates(ctx, kind);
    if (templates.length === 0) return failed(part, `There are no templates for the kind "${kind}".`, 404);
    const unsaved: Record<string, string> = {};
    if (method === 'POST') {
      const form = await formOf(ctx);
      for (const t of templates) {
        const value = posted(form[t.name]);
        if (value !== undefined && value !== t.source) unsaved[t.name] = value;
      }
    }
    let mail: RenderedMail;
    try {
      mail = await ctx.backend.templates.preview(kind, unsaved);
    } catch (error) {
      const refused = templateError(error);
      if (!refused) throw error;
      return failed(part, refused.message, 422);
    }
    return part === 'html'
      ? { sandboxed: mail.html, type: 'text/html' }
      : { sandboxed: `Subject: ${mail.subject}\n\n${mail.text}`, type: 'text/plain' };
  },
}));

function failed(part: 'html' | 'text', message: string, status: number): ConsoleAnswer {
  if (part === 'text') return { sandboxed: `No preview: ${message}`, type: 'text/plain', status };
  return {
    sandboxed: html`<!doctype html>
      <html lang="en">
        <body style="font: 14px/1.5 system-ui, sans-serif; color: #b91c1c; margin: 16px">
          <p><strong>No preview.</strong> ${message}</p>
        </body>
      </html>`.text,
    type: 'text/html',
    status,
  };
}
