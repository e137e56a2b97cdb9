/** Text helpers for mail content: what may reach a header, and how long a value may grow. */

const ELLIPSIS = '…';
// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: none may reach a header.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/gu;

/**
 * Any payload value as text: nothing for undefined and null, JSON for objects and arrays (never "[object Object]"),
 * else its string form.
 */
export function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return typeof value === 'symbol' ? value.toString() : ''; // a function: nothing a reader could use
}

/** Cuts `value` to at most `max` characters, ending with "…" when cut; never splits a surrogate pair. */
export function cut(value: unknown, max: number): string {
  const text = asText(value);
  // No more UTF-16 units than `max` means no more characters either: nothing to count.
  if (text.length <= max) return text;
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return (
    chars
      .slice(0, Math.max(0, max - 1))
      .join('')
      .trimEnd() + ELLIPSIS
  );
}

export function hasControlCharacters(value: string): boolean {
  return new RegExp(CONTROLS.source, 'u').test(value);
}

/** One line: line breaks and other control characters become spaces, runs of white space one space. */
export function oneLine(value: unknown): string {
  const text = asText(value);
  return text.replace(CONTROLS, ' ').replace(/\s+/gu, ' ').trim();
}

/** A subject: one line, at most `max` characters. */
export function subjectLine(value: unknown, max: number): string {
  return cut(oneLine(value), max);
}

/** `1 row`, `2 rows`. */
export function plural(count: number, one: string, many: string, format: (n: number) => string = String): string {
  return `${format(count)} ${count === 1 ? one : many}`;
}

/** `acme.report-ready` → `Acme report ready`: a readable name for a kind without its own item template. */
export function humanizeKind(kind: string): string {
  const words = kind.replace(/[.\-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
