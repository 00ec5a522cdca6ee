import type { Analysis } from './analysis.js';
import type { BurstVerdict } from '../attribute/burst.js';
import { requestOf } from '../attribute/advice.js';
import type { Verdict } from '../attribute/verdict.js';
import { ATTRIBUTIONS } from '../attribute/rule.js';
import type { Join } from '../correlate/incident.js';
import type { ConnectionEvent } from '../model/event.js';
import { formatProblem } from './problem.js';
import { isoTime } from './event-record.js';
import { SCHEMA_VERSION } from './schema-version.js';

/** One line of an incident's evidence as the JSON shows it; a joined one says how it is tied. */
export interface EvidenceRecord {
  file: string;
  line: number;
  source: string;
  kind: string;
  excerpt: string;
  /** Seconds after the failure; null when either has no time. */
  dt: number | null;
  keys?: Join['keys'];
  link?: Join['link'];
  tie?: string;
  decisive: boolean;
}

/** Seconds from the failure to the event, to the millisecond; null when either has no time. */
export function secondsFromFailure(event: ConnectionEvent, incidentTime: number | null): number | null {
  return incidentTime !== null && event.time !== null ? Math.round(event.time - incidentTime) / 1000 : null;
}

/** Whether one of the failure's own records decided: a rule matched on no joined event, and it is the anchor. */
export function recordDecided(verdict: Verdict, record: ConnectionEvent): boolean {
  return verdict.ruleId !== null && verdict.deciding.length === 0 && record === verdict.incident.anchor;
}

/** One line of an incident's evidence, as the reports show it: its own records first, then what was joined. */
export interface EvidenceItem {
  event: ConnectionEvent;
  /** Seconds from the failure; null when either has no time. */
  dt: number | null;
  /** How it was joined; undefined for the failure's own records. */
  join?: Join;
  decisive: boolean;
}

export function evidenceItems(verdict: Verdict): EvidenceItem[] {
  const time = verdict.incident.time;
  return [
    ...verdict.incident.records.map((event) => ({ event, dt: secondsFromFailure(event, time), decisive: recordDecided(verdict, event) })),
    ...verdict.evidence.map((join) => ({ event: join.event, dt: secondsFromFailure(join.event, time), join, decisive: verdict.deciding.includes(join) })),
  ];
}

// Two literals, not a spread of a shared part: a spread copied ten times slower, and a long job writes tens of thousands.
function evidenceRecord({ event, dt, join, decisive }: EvidenceItem): EvidenceRecord {
  const { file, line, source, kind, excerpt } = event;
  return join === undefined ? { file, line, source, kind, excerpt, dt, decisive } : { file, line, source, kind, excerpt, dt, keys: join.keys, link: join.link, tie: join.tie, decisive };
}

/** "urllib3.exceptions.ProtocolError (ConnectionResetError 54)": what the client said, briefly. */
export function clientError(verdict: Verdict): string {
  const anchor = verdict.incident.anchor;
  const outer = anchor.exception ?? anchor.kind;
  const inner = anchor.cause && anchor.cause !== outer ? ` (${anchor.cause}${anchor.errno !== undefined ? ` ${anchor.errno}` : ''})` : '';
  const status = anchor.status !== undefined ? ` ${anchor.status}` : '';
  return `${outer}${status}${inner}`;
}

/** The request's URL with the client's scheme; what the client did not say, from the deciding lines. */
export function urlOf(verdict: Verdict): string | null {
  return requestOf(verdict.incident, verdict.deciding).url ?? null;
}

/** One incident as the JSON and NDJSON outputs show it (documented in the README). */
export function incidentRecord(verdict: BurstVerdict): Record<string, unknown> {
  const incident = verdict.incident;
  const request = requestOf(incident, verdict.deciding);
  return {
    id: incident.id,
    origin: incident.origin,
    time: isoTime(incident.time),
    timeQuality: incident.timeQuality,
    test: incident.test ?? null,
    clientError: clientError(verdict),
    errnoName: incident.anchor.errnoName ?? null,
    method: request.method ?? null,
    url: request.url ?? null,
    count: verdict.count,
    requests: verdict.requests,
    attribution: verdict.attribution,
    cause: verdict.cause,
    ruleId: verdict.ruleId,
    confidence: verdict.confidence,
    reasons: verdict.reasons,
    evidence: evidenceItems(verdict).map(evidenceRecord),
    advice: verdict.advice,
  };
}

export function summaryOf(verdicts: readonly Verdict[]): Record<string, number> {
  const summary: Record<string, number> = Object.fromEntries(ATTRIBUTIONS.map((a) => [a, 0]));
  for (const verdict of verdicts) summary[verdict.attribution]!++;
  return summary;
}

/**
 * The JSON output; `incidents` may stand for the list and `summary` be counted already (a writer
 * that streams them).
 */
export function analysisRecord(
  analysis: Omit<Analysis, 'verdicts'>,
  incidents: unknown = (analysis as Analysis).verdicts.map(incidentRecord),
  summary: Record<string, number> = summaryOf((analysis as Analysis).verdicts),
): Record<string, unknown> {
  return {
    schemaVersion: SCHEMA_VERSION,
    incidents,
    summary,
    clock: analysis.clock.map((c) => ({ group: c.group, zone: c.zone, zoneFrom: c.zoneFrom, offset: c.offset, text: c.text })),
    files: analysis.files,
    warnings: analysis.problems.map(formatProblem),
  };
}
