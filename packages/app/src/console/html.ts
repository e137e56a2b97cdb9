/**
 * HTML built with a tagged template that escapes every interpolated value: `html\`<td>${name}</td>\`` prints a
 * recipient's name `<b>` as `&lt;b&gt;`. Only `SafeHtml` (from `html` itself, or `raw` for markup written in this
 * package) goes in unescaped, so a value from a payload, a server reply or a setting can never become markup.
 */
export class SafeHtml {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

type Part = SafeHtml | string | number | boolean | null | undefined | readonly Part[];

export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Markup written in this package (never a value from outside). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Text for HTML content and attribute values: & < > " ' escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function render(value: Part): string {
  if (value instanceof SafeHtml) return value.text;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return (value as readonly Part[]).map(render).join('');
  return escapeHtml(String(value));
}
