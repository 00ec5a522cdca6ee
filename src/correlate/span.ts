import type { ConnectionEvent } from '../model/event.js';
import type { Order } from './incident.js';

/** A span of time in ms: the instant an event or failure lies in, as far as its stamp can say. */
export interface Span {
  from: number;
  to: number;
}

/**
 * How much time one stamp covers. Parsers keep the stamp's digits, not its resolution; a whole
 * second (nginx, CLF, syslog) ends in 000 ms, and a finer stamp that happens to end there is read
 * as a whole second too: the wider span only ever makes an order less sure, never wrong.
 */
function resolutionOf(time: number): number {
  return time % 1000 === 0 ? 1000 : 1;
}

export function spanOf(event: Pick<ConnectionEvent, 'time'>): Span | null {
  return event.time === null ? null : { from: event.time, to: event.time + resolutionOf(event.time) };
}

/** Where `event` lies against the failure's span. */
export function orderOf(event: Span, failure: Span): Order {
  if (event.to <= failure.from) return 'before';
  if (event.from >= failure.to) return 'after';
  // Within only a failure known to a range (a request in flight): equal stamps cannot be ordered.
  if (event.from >= failure.from && event.to <= failure.to && event.to - event.from < failure.to - failure.from) return 'within';
  return 'concurrent';
}
