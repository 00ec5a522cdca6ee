/** Edit distance, for "did you mean" suggestions on misspelt keys and names. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The candidates close to `word`, closest first. */
export function closeMatches(word: string, candidates: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(word.length / 3));
  return candidates
    .map((candidate) => ({ candidate, d: distance(word, candidate) }))
    .filter(({ d }) => d <= limit)
    .sort((a, b) => a.d - b.d || (a.candidate < b.candidate ? -1 : 1))
    .map(({ candidate }) => candidate);
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  const close = closeMatches(word, candidates).slice(0, 3);
  return close.length > 0 ? ` (did you mean ${close.map((c) => `"${c}"`).join(' or ')}?)` : '';
}
