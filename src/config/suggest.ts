/** The candidate a typo most likely meant (`colection_interval` → `collection_interval`), if any is close. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: a huge key costs nothing to rule out.
    if (Math.abs(word.length - candidate.length) >= bestDistance) continue;
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * `unknown key "colection_interval"; did you mean "collection_interval"? Allowed keys: …` —
 * the one shape of every "this name does not exist" message.
 */
export function unknownName(
  problem: string,
  name: string,
  candidates: readonly string[],
  listing: { label: string; empty?: string },
): string {
  const suggestion = closestMatch(name, candidates);
  const parts = [problem];
  if (suggestion !== undefined) parts.push(`did you mean "${suggestion}"?`);
  const list = candidates.length > 0 ? `${listing.label}: ${candidates.join(', ')}` : listing.empty;
  if (list !== undefined) parts.push(suggestion === undefined ? list : capitalise(list));
  return suggestion === undefined ? parts.join('; ') : `${parts[0]}; ${parts.slice(1).join(' ')}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
