/** Reading zone-less wall-clock stamps in a zone: fixed offsets or IANA names (DST-correct). */

export interface Zone {
  name: string;
  /** The UTC instant of a wall-clock time given as "the same digits read as UTC". */
  toUtc(wallMs: number): number;
  /** The wall clock (digits read as UTC) of an instant: the inverse of toUtc. */
  fromUtc(utcMs: number): number;
}

const FIXED = /^(?:UTC|GMT|Z)?([+-])(\d{1,2}):?(\d\d)?$/;
const MAX_OFFSET_MINUTES = 14 * 60;

export function parseZone(spec: string): Zone | undefined {
  if (/^(UTC|GMT|Z)$/i.test(spec)) return { name: 'UTC', toUtc: (wall) => wall, fromUtc: (utc) => utc };
  const fixed = FIXED.exec(spec);
  if (fixed) {
    const [hours, mins] = [Number(fixed[2]), Number(fixed[3] ?? 0)];
    // Real zones lie within -12:00..+14:00; anything beyond is a typo, not a zone.
    if (mins > 59 || hours * 60 + mins > MAX_OFFSET_MINUTES) return undefined;
    const minutes = (fixed[1] === '-' ? -1 : 1) * (hours * 60 + mins);
    return { name: spec, toUtc: (wall) => wall - minutes * 60_000, fromUtc: (utc) => utc + minutes * 60_000 };
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: spec,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return undefined;
  }
  const offsetCache = new Map<number, number>();
  /** The zone's offset from UTC at an instant; cached per hour, when offsets can change. */
  const offsetAt = (instant: number): number => {
    const hour = Math.floor(instant / 3_600_000);
    let offset = offsetCache.get(hour);
    if (offset === undefined) {
      const parts: Record<string, number> = {};
      for (const part of format.formatToParts(hour * 3_600_000)) parts[part.type] = Number(part.value);
      const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
      offset = wall - hour * 3_600_000;
      offsetCache.set(hour, offset);
    }
    return offset;
  };
  return {
    name: spec,
    // Two steps: the offset at the first guess can differ from the offset at the answer across a DST change.
    toUtc: (wall) => {
      const guess = wall - offsetAt(wall);
      return wall - offsetAt(guess);
    },
    fromUtc: (utc) => utc + offsetAt(utc),
  };
}
