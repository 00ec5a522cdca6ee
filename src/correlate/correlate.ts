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
  joinEvidence(incidents, collector, timeline, windowMs);
  return incidents;
}
