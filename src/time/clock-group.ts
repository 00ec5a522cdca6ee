import type { Source } from '../model/event.js';

/**
 * Sources written by the same process (or on the same host) share one clock: the zone seen in the
 * nginx access log is the zone of the nginx error log too; pytest and the client log run together;
 * an application server's log and its request log come from one process.
 */
export function clockGroup(source: Source): string {
  if (source === 'nginx-error' || source === 'nginx-access') return 'nginx';
  if (source === 'pytest' || source === 'junit' || source === 'client') return 'client';
  // The application server writes its own log and its request log with one clock.
  if (source === 'app' || source === 'app-access') return 'app';
  return source;
}

/** The group every other clock is measured against. */
export const REFERENCE_GROUP = 'client';
