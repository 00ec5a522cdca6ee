import type { ConnectionEvent } from '../model/event.js';
import type { Timeline } from '../time/timeline.js';
import type { EvidenceCollector } from './collect.js';
import type { Incident } from './incident.js';
import { joinEvidence } from './join.js';
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

/**
 * Puts the far side's kept events on the timeline and joins them to the client's incidents; the
 * far side's failures that none of them claims open incidents of their own. All in time order.
 */
export function joinFarSide(incidents: Incident[], collector: EvidenceCollector, timeline: Timeline, windowMs: number): Incident[] {
  for (const event of collector.notable) timeline.resolve(event);
  const ordinary = collector.ordinary;
  for (const event of ordinary) timeline.resolve(event);
  joinEvidence(incidents, collector.notable, ordinary, collector, timeline, windowMs);
  const far = farSideIncidents(collector.notable, incidents);
  joinEvidence(far, collector.notable, ordinary, collector, timeline, windowMs);
  const all = [...incidents, ...far];
  all.sort((a, b) => (a.time ?? Infinity) - (b.time ?? Infinity) || (a.anchor.id < b.anchor.id ? -1 : a.anchor.id > b.anchor.id ? 1 : 0));
  all.forEach((incident, i) => (incident.id = `I${i + 1}`));
  return all;
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
