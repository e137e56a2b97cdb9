/**
 * Characters no stored text may hold. PostgreSQL refuses NUL in text and jsonb (a raw driver error), and a
 * lone UTF-16 surrogate (half of a pair, e.g. an emoji cut in two) is silently turned into U+FFFD on the
 * way to UTF-8, so `a\uD800b@example.com` would be delivered to `a\uFFFDb@…`. Both are refused up front.
 */
// With the `u` flag a surrogate range matches only unpaired surrogates: a well-formed pair is one code point.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** What is wrong with the characters of `value`, or undefined when it can be stored as it is. */
export function unstorableText(value: string): string | undefined {
  if (value.includes('\u0000')) return 'contains a NUL character (\\u0000); remove it';
  if (LONE_SURROGATE.test(value)) {
    return 'contains a lone UTF-16 surrogate (malformed text, e.g. half of an emoji); send well-formed Unicode';
  }
  return undefined;
}

/** How a string is shown inside a message: JSON-quoted, so control characters and surrogates are escaped. */
export function quoted(value: string, max = 80): string {
  const shown = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(shown);
}
