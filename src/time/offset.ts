/**
 * Estimating the clock offset between two sources from the same requests seen on both sides:
 * the client's log line and the server's access-log line of one request differ by the zone, the
 * clocks' skew and the request's own duration. The densest cluster of differences is the offset.
 */

export interface TrafficSample {
  /** "METHOD path status": what identifies a request on both sides. */
  key: string;
  /** Wall clock read as UTC (zone-less sources) or the instant. */
  time: number;
  zoneless: boolean;
}

export interface ClockOffset {
  /** Clock group estimated, e.g. "nginx". */
  group: string;
  reference: string;
  /** other = reference + offsetMs. */
  offsetMs: number;
  /** The whole quarter-hours of the offset: a time zone. */
  zoneMs: number;
  /** What remains: the clocks' disagreement. */
  skewMs: number;
  /** Spread (max - min) of the differences in the chosen cluster. */
  spreadMs: number;
  matched: number;
}

const CLUSTER_WIDTH_MS = 2_000;
const MAX_PER_KEY = 64;
const MIN_MATCHED = 3;
const QUARTER_HOUR = 15 * 60_000;
/** A remainder this close to a quarter hour is read as part of the zone, not as skew. */
const ZONE_TOLERANCE_MS = 5 * 60_000;

export function estimateOffset(group: string, reference: string, ref: readonly TrafficSample[], other: readonly TrafficSample[]): ClockOffset | undefined {
  const refByKey = new Map<string, number[]>();
  for (const sample of ref) {
    const times = refByKey.get(sample.key) ?? [];
    if (times.length < MAX_PER_KEY) times.push(sample.time);
    refByKey.set(sample.key, times);
  }
  const diffs: number[] = [];
  const perKey = new Map<string, number>();
  for (const sample of other) {
    const refTimes = refByKey.get(sample.key);
    if (!refTimes) continue;
    const used = perKey.get(sample.key) ?? 0;
    if (used >= MAX_PER_KEY) continue;
    perKey.set(sample.key, used + 1);
    for (const t of refTimes) diffs.push(sample.time - t);
  }
  if (diffs.length < MIN_MATCHED) return undefined;
  // Up to 64 × 64 pairs a key: a typed array sorts numbers several times faster than a comparator.
  const sorted = Float64Array.from(diffs).sort();
  // Densest window of CLUSTER_WIDTH_MS: two pointers over the sorted differences.
  let bestStart = 0;
  let bestCount = 0;
  for (let start = 0, end = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end]! - sorted[start]! <= CLUSTER_WIDTH_MS) end++;
    if (end - start > bestCount) {
      bestCount = end - start;
      bestStart = start;
    }
  }
  const cluster = sorted.subarray(bestStart, bestStart + bestCount);
  // A true offset is matched by most requests; a chance cluster of unrelated pairs is not.
  const expected = Math.min(ref.length, other.length, perKeyTotal(perKey));
  if (bestCount < MIN_MATCHED || bestCount < expected * 0.3) return undefined;
  const offsetMs = refine(cluster[Math.floor(cluster.length / 2)]!, refByKey, other);
  const quarters = Math.round(offsetMs / QUARTER_HOUR) * QUARTER_HOUR + 0; // + 0: no -0 in the output
  const zoneMs = Math.abs(offsetMs - quarters) <= ZONE_TOLERANCE_MS ? quarters : 0;
  return {
    group,
    reference,
    offsetMs,
    zoneMs,
    skewMs: offsetMs - zoneMs,
    spreadMs: cluster[cluster.length - 1]! - cluster[0]!,
    matched: bestCount,
  };
}

/**
 * The densest cluster also holds pairs of neighbouring requests with the same key (a health check
 * every 500 ms pairs with its neighbours too). Pairing each request with its nearest twin under the
 * coarse offset leaves only true pairs; their median is the offset.
 */
function refine(coarse: number, refByKey: ReadonlyMap<string, number[]>, other: readonly TrafficSample[]): number {
  const diffs: number[] = [];
  for (const sample of other) {
    const refTimes = refByKey.get(sample.key);
    if (!refTimes) continue;
    let best = Infinity;
    for (const t of refTimes) {
      const d = sample.time - t;
      if (Math.abs(d - coarse) < Math.abs(best - coarse)) best = d;
    }
    if (Math.abs(best - coarse) <= CLUSTER_WIDTH_MS) diffs.push(best);
  }
  if (diffs.length === 0) return coarse;
  diffs.sort((a, b) => a - b);
  return diffs[Math.floor(diffs.length / 2)]!;
}

function perKeyTotal(perKey: Map<string, number>): number {
  let total = 0;
  for (const n of perKey.values()) total += n;
  return total;
}

/** "nginx = client + 8h00m02.1s, from 37 matched requests". */
export function describeOffset(offset: ClockOffset): string {
  return `${offset.group} = ${offset.reference} ${formatDuration(offset.offsetMs)}, from ${offset.matched} matched requests (spread ${(offset.spreadMs / 1000).toFixed(1)}s)`;
}

export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  let rest = Math.abs(ms);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = (rest / 1000).toFixed(1).padStart(4, '0');
  return `${sign} ${hours}h${String(minutes).padStart(2, '0')}m${seconds}s`;
}
