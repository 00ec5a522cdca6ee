import type { ConnectionEvent } from '../model/event.js';
import type { Timeline } from '../time/timeline.js';
import type { EvidenceCollector } from './collect.js';
import type { Incident } from './incident.js';
import { joinEvidence } from './join.js';
import { mergeIntoIncidents } from './merge.js';

/** Puts every kept event on the one timeline, then builds incidents with their joined evidence. */
export function correlate(collector: EvidenceCollector, timeline: Timeline, windowMs: number): Incident[] {
  for (const event of collector.anchors) timeline.resolve(event);
  for (const event of collector.notable) timeline.resolve(event);
  for (const event of collector.ordinary) timeline.resolve(event);
  const incidents = mergeIntoIncidents(collector.anchors, windowMs);
  timeInternalErrors(incidents, collector, timeline);
  collector.keepJoinableOrdinary(incidents, windowMs);
  joinEvidence(incidents, collector, timeline, windowMs);
  return incidents;
}

/**
 * pytest stops at an INTERNALERROR: the session ends right after it, so a client log written by
 * that session ends there too. Its last record dates an untimed INTERNALERROR (inferred).
 */
function timeInternalErrors(incidents: Incident[], collector: EvidenceCollector, timeline: Timeline): void {
  const last = collector.lastClientRecord;
  if (!last) return;
  const end: ConnectionEvent = { ...last, id: '', kind: 'other', file: '', line: 0, excerpt: '' };
  timeline.resolve(end);
  for (const incident of incidents) {
    if (incident.time === null && incident.anchor.test === 'INTERNALERROR') {
      incident.time = end.time;
      incident.timeQuality = 'inferred';
    }
  }
}
