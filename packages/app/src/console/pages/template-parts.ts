import { MailroomError } from '@mailroom/domain';
import type { TemplateDetail, TemplateInfo } from '../../settings/templates-admin';
import type { ConsoleContext } from '../console-page';

/** A kind's parts in the order the editor shows them: the mail, then its entry in a digest. */
export const PART_ORDER = ['subject', 'html', 'text', 'item.html', 'item.text'] as const;

/** How the editor labels each part. */
export const PART_LABELS: Readonly<Record<string, string>> = {
  subject: 'Subject',
  html: 'HTML body',
  text: 'Text body',
  'item.html': 'Digest entry, HTML',
  'item.text': 'Digest entry, text',
};

/** The parts overridden together: a mail's subject, HTML and text; a digest entry's HTML and text. */
export const PART_GROUPS: readonly (readonly string[])[] = [
  ['subject', 'html', 'text'],
  ['item.html', 'item.text'],
];

/** The kind named in the page's path (`/templates/<kind>`). */
export function kindParam(ctx: ConsoleContext): string {
  return ctx.hono.req.param('kind') ?? '';
}

/** A kind's templates with their texts, in the editor's order; empty for a kind with none. */
export function kindTemplates(ctx: ConsoleContext, kind: string): TemplateDetail[] {
  const order = (t: TemplateInfo) => PART_ORDER.indexOf(t.part as (typeof PART_ORDER)[number]);
  return ctx.backend.templates
    .list()
    .filter((t) => t.kind === kind && order(t) >= 0)
    .sort((a, b) => order(a) - order(b))
    .map((t) => ctx.backend.templates.get(t.name));
}

/** Browsers post a textarea's line breaks as CRLF: templates keep the LF they were written with. */
export function posted(value: string | undefined): string | undefined {
  return value?.replace(/\r\n?/g, '\n');
}

/** A template's error (syntax, render, no sample): its message names the template and the line. */
export function templateError(error: unknown): MailroomError | undefined {
  return error instanceof MailroomError && error.code.startsWith('TEMPLATE.') ? error : undefined;
}

/** The template an error's message names (`Template user-invite.html (…) does not compile, line 3: …`). */
export function templateNamedIn(message: string): string | undefined {
  return /^Template (\S+) /.exec(message)?.[1];
}

/** Where a template's text comes from, in words. */
export function layerText(t: TemplateInfo): string {
  switch (t.layer) {
    case 'built-in':
      return 'Built-in text';
    case 'directory':
      return `From the templates directory (${t.origin})`;
    case 'host':
      return "From the host application's code";
    case 'stored':
      return `Saved by ${t.changedBy ?? 'an admin'}${t.changedAt ? ` on ${t.changedAt.replace('T', ' ').slice(0, 16)} UTC` : ''}`;
  }
}
