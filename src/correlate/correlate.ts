import type { ConnectionEvent } from '../model/event.js';
import type { Timeline } from '../time/timeline.js';
import type { EvidenceCollector } from './collect.js';
import type { Incident } from './incident.js';
import { joinEvidence } from './join.js';
import { tieStaleReuse } from './keepalive.js';
import { pathKey } from './keys.js';
import { farSideIncidents } from './far-side.js';
import { mergeIntoIncidents } from './merge.js';
import type { JoinWindowsInput } from './windows.js';

/**
 * The client side's failures on the one timeline, merged into incidents: built before the far side
 * is read, which then keeps only what they can join (JoinWindows).
 */
export function buildIncidents(collector: EvidenceCollector, timeline: Timeline, windowMs: number): Incident[] {
  for (const event of collector.anchors) timeline.resolve(event);
  const incidents = mergeIntoIncidents(collector.anchors, windowMs);
  timeInternalErrors(incidents, collector, timeline, windowMs);
  return incidents;
}

/** What the far side needs to keep only the requests these incidents can join. */
export function joinWindowsOf(incidents: readonly Incident[], timeline: Timeline, windowMs: number): JoinWindowsInput {
  return { windowMs, clocks: timeline.clockData(), incidents: incidents.map((incident) => ({ path: pathKey(incident.path), time: incident.time })) };
}

/** Puts the far side's kept events on the timeline and joins them to the client's incidents. */
export function joinFarSide(incidents: Incident[], collector: EvidenceCollector, timeline: Timeline, windowMs: number): void {
  for (const event of collector.notable) timeline.resolve(event);
  const ordinary = collector.ordinary;
  for (const event of ordinary) timeline.resolve(event);
  joinEvidence(incidents, collector.notable, ordinary, collector, timeline, windowMs);
  tieStaleReuse(incidents, collector.notable, collector.sources);
}

/**
 * The far side's failures that the client's incidents did not claim (`claimed`: tied to one by a
 * decisive link, or used by its verdict) as incidents of their own, joined like the client's.
 */
export function openFarSide(claimed: ReadonlySet<ConnectionEvent>, collector: EvidenceCollector, timeline: Timeline, windowMs: number): Incident[] {
  const far = farSideIncidents(collector.notable, claimed);
  joinEvidence(far, collector.notable, collector.ordinary, collector, timeline, windowMs);
  return far;
}

/** Incidents from both ends in time order, numbered I1, I2, … in that order. */
export function inTimeOrder<T extends { incident: Incident }>(items: T[]): T[] {
  items.sort((a, b) => (a.incident.time ?? Infinity) - (b.incident.time ?? Infinity) || compareIds(a.incident.anchor.id, b.incident.anchor.id));
  items.forEach(({ incident }, i) => (incident.id = `I${i + 1}`));
  return items;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * pytest stops at an INTERNALERROR: the session ends right after it, so a client log written by
 * that session ends there too. Its last record dates an untimed INTERNALERROR (inferred): the
 * failure came after it, while that request was in flight, by up to the window.
 */
function timeInternalErrors(incidents: Incident[], collector: EvidenceCollector, timeline: Timeline, windowMs: number): void {
  const last = collector.lastClientRecord;
  if (!last) return;
  const end: ConnectionEvent = { ...last, id: '', kind: 'other', file: '', line: 0, excerpt: '' };
  timeline.resolve(end);
  for (const incident of incidents) {
    if (incident.time === null && incident.anchor.test === 'INTERNALERROR') {
      incident.time = end.time;
      incident.span = end.time === null ? null : { from: end.time, to: end.time + windowMs };
      incident.timeQuality = 'inferred';
    }
  }
}
