/**
 * The numbers a log line gives an event are checked where they enter: a fuzzed or hostile line must
 * not put NaN, Infinity or the year 275760 into a report, nor a time far out of range into a loop
 * bound downstream (a JUnit `time="1e308"` once made the join run for ever). A field out of range
 * is dropped with a problem naming it; the rest of the event stands.
 */
import type { ConnectionEvent } from '../model/event.js';
import type { OrdinaryLine, ParseContext } from './parser.js';

/** Times from 1970 to the end of 9999: what a four-digit year can write. */
export const MIN_TIME_MS = 0;
export const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

type NumericField = 'port' | 'clientPort' | 'status' | 'errno' | 'pid' | 'utcOffset';

/** Inclusive ranges of the integer fields. */
const RANGES: Readonly<Record<NumericField, readonly [number, number]>> = {
  port: [0, 65535],
  clientPort: [0, 65535],
  status: [100, 999],
  // Linux errnos are small, gaierror codes negative, Windows WSA codes around 10000–11999.
  errno: [-65535, 65535],
  pid: [0, 2 ** 31 - 1],
  // Minutes east of UTC: real zones lie within -12:00..+14:00.
  utcOffset: [-14 * 60, 14 * 60],
};
const FIELDS = Object.keys(RANGES) as NumericField[];

export function validTime(time: number): boolean {
  return Number.isFinite(time) && time >= MIN_TIME_MS && time <= MAX_TIME_MS;
}

function within(value: number, range: readonly [number, number]): boolean {
  return Number.isInteger(value) && value >= range[0] && value <= range[1];
}

function inRange(field: NumericField, value: number): boolean {
  return within(value, RANGES[field]);
}

/** A value in its field's range, or no value. */
function inRangeOrAbsent(value: number | undefined, range: readonly [number, number]): boolean {
  return value === undefined || within(value, range);
}

/**
 * Whether every numeric field of the event is in range, as nearly every one is: each field read
 * by its name (a loop over the names costs a lookup by a variable key each, on events of many shapes).
 */
export function allInRange(e: ConnectionEvent): boolean {
  return (
    (e.time === null || validTime(e.time)) &&
    inRangeOrAbsent(e.port, RANGES.port) &&
    inRangeOrAbsent(e.clientPort, RANGES.clientPort) &&
    inRangeOrAbsent(e.status, RANGES.status) &&
    inRangeOrAbsent(e.errno, RANGES.errno) &&
    inRangeOrAbsent(e.pid, RANGES.pid) &&
    inRangeOrAbsent(e.utcOffset, RANGES.utcOffset)
  );
}

/** What dropInvalidFields returns for an event whose fields all stand (shared: never changed). */
const NONE_DROPPED: readonly string[] = Object.freeze([]);

/** Drops the event's numeric fields that are out of range; returns a description of each dropped one. */
export function dropInvalidFields(event: ConnectionEvent): readonly string[] {
  if (allInRange(event)) return NONE_DROPPED;
  const dropped: string[] = [];
  if (event.time !== null && !validTime(event.time)) {
    dropped.push(`time ${String(event.time)} (not within 1970..9999)`);
    event.time = null;
    event.timeQuality = 'none';
    delete event.zoneless;
  }
  for (const field of FIELDS) {
    const value = event[field];
    if (value === undefined || inRange(field, value)) continue;
    const [min, max] = RANGES[field];
    dropped.push(`${field} ${String(value)} (not a whole number within ${min}..${max})`);
    delete event[field];
  }
  return dropped;
}

/** Whether a fast path's request line has its numbers in range (else it is emitted whole, and checked). */
function requestInRange(line: Pick<OrdinaryLine, 'time' | 'status' | 'utcOffset'>): boolean {
  return stampInRange(line.time, line.utcOffset) && inRange('status', line.status);
}

/** Whether a stamp's time and its printed zone (minutes east of UTC), if any, are in range. */
export function stampInRange(time: number, utcOffset: number | undefined): boolean {
  return validTime(time) && (utcOffset === undefined || inRange('utcOffset', utcOffset));
}

/** Drops the event's fields that are out of range, each reported as a problem of its line. */
export function checkFields(event: ConnectionEvent, problem: ParseContext['problem']): void {
  const dropped = dropInvalidFields(event);
  if (dropped.length > 0) problem(event.line, `out of range, field dropped: ${dropped.join(', ')}`);
}

/**
 * The parser's context with its events checked on the way out. The fast paths take only lines
 * whose numbers are in range; any other line is emitted whole and checked here.
 */
export function checkedContext(ctx: ParseContext): ParseContext {
  const { emit, ordinary, unremarkable, ordinaryBytes } = ctx;
  const checked: ParseContext = {
    ...ctx,
    emit(event) {
      checkFields(event, ctx.problem);
      emit(event);
    },
  };
  if (ordinary) checked.ordinary = (line) => requestInRange(line) && ordinary(line);
  if (ordinaryBytes) checked.ordinaryBytes = (line) => requestInRange(line) && ordinaryBytes(line);
  if (unremarkable) {
    checked.unremarkable = (line) => (line.time === null || validTime(line.time)) && unremarkable(line);
  }
  return checked;
}
