/**
 * Ends `text` with exactly one full stop: server replies and library messages often end with their
 * own ("… for more information."), and a message that appends another reads "information.. Too many".
 */
export function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Sentences joined with one space, each ended once. */
export function sentences(...texts: readonly (string | undefined)[]): string {
  return texts
    .filter((t): t is string => t !== undefined && t.trim() !== '')
    .map(sentence)
    .join(' ');
}
