import type { BurstVerdict } from '../attribute/burst.js';
import type { JobDir } from '../discover/jobs.js';
import type { ConnectionEvent } from '../model/event.js';
import { eventRecord } from '../report/event-record.js';
import { incidentRecord } from '../report/incident-record.js';
import { SCHEMA_VERSION } from '../report/schema-version.js';
import type { Join } from '../correlate/incident.js';

/** A job's rows for the two tables of schemas/clickhouse/tables.sql (JSONEachRow objects). */
export interface JobRows {
  incidents: Record<string, unknown>[];
  events: Record<string, unknown>[];
}

/** The columns every row of a job shares: where it comes from, its day, the contract's version. */
interface JobColumns {
  day: string;
  repo: string;
  job: string;
  dir: string;
  schema_version: string;
  shipped_at: number;
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** `time` in seconds (DateTime), `time_ms` the instant; 0 for a line without time. */
function times(ms: number | null): { time: number; time_ms: number } {
  return ms === null ? { time: 0, time_ms: 0 } : { time: Math.floor(ms / 1000), time_ms: ms };
}

/**
 * The rows of one job: its incidents with their verdicts, and the events of each incident (what
 * `--events` writes) with how they are tied. `repo` is the CI's, else the one given.
 */
export function jobRows(job: JobDir, verdicts: readonly BurstVerdict[], repo: string, shippedAt: number): JobRows {
  const known = verdicts.flatMap((v) => [v.incident.time, ...v.incident.records.map((e) => e.time), ...v.incident.joined.map((j) => j.event.time)]).filter((t): t is number => t !== null);
  // The job's day: its earliest known time, so that all its rows share one partition.
  const day = new Date(known.length > 0 ? Math.min(...known) : 0).toISOString().slice(0, 10);
  const shared: JobColumns = { day, repo: job.repo ?? repo, job: job.label, dir: job.dir, schema_version: SCHEMA_VERSION, shipped_at: shippedAt };
  return {
    incidents: verdicts.map((v) => incidentRow(v, shared)),
    events: verdicts.flatMap((v) => [...v.incident.records.map((event) => eventRow(event, v.incident.id, undefined, shared)), ...v.incident.joined.map((join) => eventRow(join.event, v.incident.id, join, shared))]),
  };
}

function incidentRow(verdict: BurstVerdict, shared: JobColumns): Record<string, unknown> {
  const record = incidentRecord(verdict);
  const evidence = record.evidence as Array<{ decisive: boolean; link?: string; dt: number | null }>;
  const decisive = evidence.find((e) => e.decisive && e.link !== undefined);
  const { host, port, path } = verdict.incident;
  return {
    ...shared,
    id: record.id,
    ...times(verdict.incident.time),
    time_quality: record.timeQuality,
    origin: record.origin,
    test: record.test ?? '',
    client_error: record.clientError,
    errno_name: record.errnoName ?? '',
    method: record.method ?? '',
    url: record.url ?? '',
    host: host ?? '',
    port: port ?? null,
    path: path ?? '',
    count: record.count,
    attribution: record.attribution,
    cause: record.cause,
    rule_id: record.ruleId ?? '',
    confidence: record.confidence,
    link: decisive?.link ?? '',
    dt: decisive?.dt ?? null,
    evidence: evidence.length,
    reasons: record.reasons,
    advice: record.advice,
  };
}

function eventRow(event: ConnectionEvent, incident: string, join: Join | undefined, shared: JobColumns): Record<string, unknown> {
  const row: Record<string, unknown> = { ...shared };
  // The event's own fields under their column names (clientAddr → client_addr); absent ones take the column's default.
  for (const [key, value] of Object.entries(eventRecord(event, incident))) row[snake(key)] = value;
  Object.assign(row, times(event.time));
  row.link = join?.link ?? '';
  row.tie = join?.tie ?? '';
  row.dt = join === undefined || join.dtMs === null ? null : join.dtMs / 1000;
  return row;
}
