/**
 * The closest candidate within a small edit distance, for "did you mean …?" hints;
 * failing that, the one candidate the input abbreviates (`stop` → `stop-dependents`).
 */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(input.length / 3)) + 1;
  for (const candidate of list) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best ?? abbreviated(input, list);
}

const MIN_PREFIX = 3;

function abbreviated(input: string, candidates: readonly string[]): string | undefined {
  if (input.length < MIN_PREFIX) return undefined;
  const matches = candidates.filter((candidate) => candidate.toLowerCase().startsWith(input.toLowerCase()));
  return matches.length === 1 ? matches[0] : undefined;
}

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
