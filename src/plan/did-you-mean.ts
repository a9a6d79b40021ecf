// "did you mean" suggestions for unknown keys, filter names and the like.

/** Optimal string alignment distance: Levenshtein where swapping two neighbours costs 1. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const distance: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(columns).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < columns; j++) distance[0][j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(distance[i - 1][j] + 1, distance[i][j - 1] + 1, distance[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, distance[i - 2][j - 2] + 1);
      }
      distance[i][j] = best;
    }
  }
  return distance[a.length][b.length];
}

/**
 * The known word closest to `word`, when it is close enough to be a typo: at most two
 * edits, one for short words (so `id` does not suggest `vcpu`). Case is ignored, as
 * `Memory_MB` is the same slip as `memroy_mb`. Ties go to the first known word. Names
 * that differ only in their digits are different members of a series (`cmp-04` is not
 * a slip for `cmp-01`), so none is suggested for the other.
 */
export function closestKnown(word: string, known: Iterable<string>): string | null {
  const folded = word.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  const digitless = word.replace(/\d/g, '');
  const numbered = digitless !== word;
  for (const candidate of known) {
    if (numbered && candidate.replace(/\d/g, '') === digitless) continue;
    // Lengths further apart than any allowed distance need no comparison: a megabyte-long
    // mistyped key must not cost a megabyte-squared one.
    if (Math.abs(word.length - candidate.length) > 2) continue;
    const distance = editDistance(folded, candidate.toLowerCase());
    const allowed = Math.min(word.length, candidate.length) <= 4 ? 1 : 2;
    if (distance <= allowed && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export function didYouMean(word: string, known: Iterable<string>): string {
  return suggestionText(closestKnown(word, known));
}

/**
 * The one known name that `word` shortens by leaving out some of its `_`-separated words
 * (`cpu_ratio` for `cpu_allocation_ratio`, `reserved_memory_mb` for
 * `reserved_host_memory_mb`), or null when none or several do.
 */
function lengthenedKnown(word: string, known: Iterable<string>): string | null {
  const words = word.toLowerCase().split('_');
  if (words.length < 2) return null;
  const holding = [...known].filter((candidate) => {
    const candidateWords = candidate.toLowerCase().split('_');
    let at = 0;
    for (const part of words) {
      at = candidateWords.indexOf(part, at) + 1;
      if (at === 0) return false;
    }
    return candidateWords.length > words.length;
  });
  return holding.length === 1 ? holding[0] : null;
}

/** didYouMean for names made of `_`-separated words, such as settings, which are also shortened by leaving words out. */
export function didYouMeanWords(word: string, known: readonly string[]): string {
  return suggestionText(closestKnown(word, known) ?? lengthenedKnown(word, known));
}

function suggestionText(suggestion: string | null): string {
  return suggestion === null ? '' : `; did you mean \`${suggestion}\`?`;
}
