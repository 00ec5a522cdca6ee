/** What every client recognizer shares: the fields of a finding, the time a line starts with, the errno it states. */
import type { ConnectionEvent, EventKind, Source, TimeQuality } from '../../model/event.js';
import { errnoInText, type FailureMeaning } from '../failure-text.js';
import { bsdStampAt, bsdTime, isoStampAt, yearOf } from '../syslog-prefix.js';
import { wallClockAt } from '../timestamps.js';

export type Fields = Omit<ConnectionEvent, 'id' | 'file' | 'line' | 'excerpt' | 'time' | 'timeQuality' | 'source' | 'kind'>;

/** A folded record ends here at the latest: a runaway block must not hold the parser. */
export const MAX_RECORD_LINES = 200;

/**
 * How a recognizer hands a failure to the mixer (client-failures.ts), which makes the event.
 * `said`: all the record's words (causes, codes), where the hop at fault may be named.
 */
export type Emit = (source: Source, kind: EventKind, no: number, excerpt: string, clock: Clock, fields: Fields, said?: string) => void;

export interface Clock {
  time: number | null;
  timeQuality: TimeQuality;
  zoneless?: boolean;
}

/**
 * The time a line starts with: ISO 8601 (zoned → exact; Python/Java `2026-11-24 06:40:01,123` →
 * zone-less), Go's log `2026/11/24 06:40:01`, syslog `Nov 24 06:40:01` (year from the CI prefix),
 * also inside `[...]`. Without one, the CI prefix time; else none.
 */
export function leadingTime(text: string, prefixTime: number | undefined): Clock {
  const at = text.charCodeAt(0) === 91 ? 1 : 0;
  const c = text.charCodeAt(at);
  if (c >= 48 && c <= 57) {
    const iso = isoStampAt(text, at);
    if (iso) return iso.zoneless ? { time: iso.time, timeQuality: 'inferred', zoneless: true } : { time: iso.time, timeQuality: 'exact' };
    // Go's log `2026/11/24 06:40:01`: a wall clock with no zone.
    const wall = wallClockAt(text, at);
    if (wall !== undefined) return { time: wall, timeQuality: 'inferred', zoneless: true };
  } else if (c >= 65 && c <= 83 && prefixTime !== undefined) {
    const bsd = bsdStampAt(text, at);
    const wall = bsd ? bsdTime(bsd, yearOf(prefixTime)!) : undefined;
    if (wall !== undefined) return { time: wall, timeQuality: 'inferred', zoneless: true };
  }
  if (prefixTime !== undefined) return { time: prefixTime, timeQuality: 'exact' };
  return { time: null, timeQuality: 'none' };
}

export function errnoFields(text: string, meaning: FailureMeaning | undefined, fields: Fields): void {
  const stated = errnoInText(text);
  if (stated && stated.errnoName) {
    fields.errno = stated.errno;
    fields.errnoName = stated.errnoName;
  } else if (meaning?.errnoName) fields.errnoName = meaning.errnoName;
}
