/** How formats score their claim on a file's first lines (FormatParser.detect), in one place. */

/**
 * A log written by one program: the share of the non-blank first lines that are this format's
 * decides (half or more: near-certain), the name adds a small hint.
 */
export function shareScore(firstLines: readonly string[], isLine: (line: string) => boolean, fileName: string, nameHint: RegExp): number {
  let n = 0;
  let hits = 0;
  for (const line of firstLines) {
    if (line.trim() === '') continue;
    n++;
    if (isLine(line)) hits++;
  }
  if (hits === 0) return 0;
  const share = hits / n;
  return Math.min(1, (share >= 0.5 ? 0.9 : share >= 0.2 ? 0.6 : 0.3) + (nameHint.test(fileName) ? 0.05 : 0));
}

/**
 * A console log where a client's error lines are few among the job's other output: each line of
 * this format raises the claim from `base` by `step`, up to `cap`, plus a small name hint.
 */
export function countScore(
  firstLines: readonly string[],
  isLine: (line: string) => boolean,
  fileName: string,
  nameHint: RegExp,
  { base, step, cap }: { base: number; step: number; cap: number },
): number {
  let hits = 0;
  for (const line of firstLines) if (isLine(line)) hits++;
  if (hits === 0) return 0;
  return Math.min(cap, base + hits * step) + (nameHint.test(fileName) ? 0.05 : 0);
}
