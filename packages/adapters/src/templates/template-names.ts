import { KIND_NAME } from '@mailroom/domain';

/**
 * How templates are named, in a directory (`<name>.eta`) and in code (`<name>`):
 *
 * - `<kind>.subject`, `<kind>.html`, `<kind>.text`: the mail of one kind (all three, or none).
 * - `<kind>.item.html`, `<kind>.item.text`: the kind's entry in a digest (both, or none; without them
 *   the generic `_item.*` is used).
 * - `digest.subject`, `digest.html`, `digest.text`: the digest mail (`digest` is the reserved digest kind).
 * - Shared, starting with `_` (which no kind name can): `_layout.html` and `_layout.text` wrap every mail's
 *   body; `_button.html` is the call to action; `_item.html` and `_item.text` list a kind without item templates.
 *
 * Kind names may contain dots (`acme.report-ready.subject`); the part is read from the end, so a kind whose
 * last segment is `item` (`x.item`) cannot have templates: name it otherwise.
 */
export type KindPart = 'subject' | 'html' | 'text' | 'item.html' | 'item.text';

export const MAIL_PARTS: readonly KindPart[] = ['subject', 'html', 'text'];
export const ITEM_PARTS: readonly KindPart[] = ['item.html', 'item.text'];
// Longest first, so `x.item.html` is read as the item part of `x`.
const PARTS_BY_LENGTH: readonly KindPart[] = ['item.html', 'item.text', 'subject', 'html', 'text'];

export const SHARED_TEMPLATES = ['_layout.html', '_layout.text', '_button.html', '_item.html', '_item.text'] as const;
export type SharedTemplate = (typeof SHARED_TEMPLATES)[number];

export const TEMPLATE_FILE_EXTENSION = '.eta';

/** A template name read: a kind and its part, or a shared template. */
export type ParsedTemplateName = { readonly kind: string; readonly part: KindPart } | { readonly shared: SharedTemplate };

export function templateName(kind: string, part: KindPart): string {
  return `${kind}.${part}`;
}

/** Reads a template name; undefined when it follows none of the rules above. */
export function parseTemplateName(name: string): ParsedTemplateName | undefined {
  if ((SHARED_TEMPLATES as readonly string[]).includes(name)) return { shared: name as SharedTemplate };
  for (const part of PARTS_BY_LENGTH) {
    const suffix = `.${part}`;
    if (name.endsWith(suffix)) {
      const kind = name.slice(0, -suffix.length);
      return KIND_NAME.test(kind) ? { kind, part } : undefined;
    }
  }
  return undefined;
}

/** HTML templates escape every `<%= %>`; subject and text templates produce plain text and escape nothing. */
export function isHtmlTemplate(name: string): boolean {
  return name.endsWith('.html');
}

/** What a host should name a template, for error messages. */
export const NAMING_HELP =
  'Name templates <kind>.subject, <kind>.html, <kind>.text (and <kind>.item.html, <kind>.item.text for digests), ' +
  'or one of the shared templates ' +
  SHARED_TEMPLATES.join(', ') +
  '; in a directory add ".eta".';

/**
 * The templates overridden together with `name`: a kind's mail (`subject`, `html`, `text`) or its digest item
 * (`item.html`, `item.text`); a shared template alone. Undefined for a name that follows no rule.
 */
export function templateGroup(name: string): string[] | undefined {
  const parsed = parseTemplateName(name);
  if (!parsed) return undefined;
  if ('shared' in parsed) return [name];
  const group = ITEM_PARTS.includes(parsed.part) ? ITEM_PARTS : MAIL_PARTS;
  return group.map((part) => templateName(parsed.kind, part));
}
