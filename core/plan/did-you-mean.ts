import { LIMITS } from './limits';

/** Levenshtein distance, with an early exit once it exceeds `limit` (names are short). */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The closest candidate to a misspelt name, if it is close enough to be a plausible typo
 * (a third of the length, at least 2 edits); case-only differences always count. Only the first
 * `maxCandidates` candidates are compared: a plan over its limits gets no suggestion from the rest.
 */
export function didYouMean(
  input: string,
  candidates: Iterable<string>,
  maxCandidates: number = LIMITS.maxSuggestionCandidates,
): string | undefined {
  const limit = Math.max(2, Math.floor(input.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  let compared = 0;
  for (const candidate of candidates) {
    if (compared++ >= maxCandidates) break;
    if (candidate.toLowerCase() === input.toLowerCase() && candidate !== input) return candidate;
    const distance = editDistance(input, candidate, limit);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best === input ? undefined : best;
}

/** ` (did you mean "x"?)` or nothing. */
export function suggestion(input: string, candidates: Iterable<string>): string {
  const match = didYouMean(input, candidates);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}

/**
 * A `suggestion` that gives up after `max` calls. One validation uses one, so a file with 50,000
 * misspelt names costs 100 suggestions, not 50,000 × every name (only the first issues are listed).
 */
export function suggestionBudget(
  max: number = LIMITS.maxSuggestions,
): (input: string, candidates: Iterable<string>) => string {
  let left = max;
  return (input, candidates) => (left-- > 0 ? suggestion(input, candidates) : '');
}
