/**
 * The known name a misspelling most likely meant: same letters ignoring case, or at most two edits away, or else the one
 * known name that ends with it (`linkpath` for `acceptLinkPath`).
 */
export function closestName(key: string, known: readonly string[]): string | undefined {
  if (key.length > 100) return undefined;
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = name.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, name);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  if (best !== undefined || key.length < 4) return best?.name;
  // The field's name without its prefix (`linkPath` for `acceptLinkPath`): when one field alone ends so, that one.
  const lower = key.toLowerCase();
  const ending = known.filter((name) => name.toLowerCase().endsWith(lower));
  return ending.length === 1 ? ending[0] : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
